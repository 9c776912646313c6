# METADATA
# title: Paved workload rules
# description: >-
#   How workloads run on Kubernetes. Query data.paved.workload.violations with
#   input {"manifests": [<Kubernetes objects>], "environment": <optional string>},
#   or data.paved.workload.batch with {"items": {<key>: <that input>, ...}}.
#   The same rules ship as Gatekeeper ConstraintTemplates in deploy/gatekeeper.
package paved.workload

import rego.v1

# Knobs a platform team is most likely to change.
required_requests := {"cpu", "memory"}

# CPU limits are left out on purpose: they throttle a container even when
# the node is idle. Memory is the resource that takes a node down.
required_limits := {"memory"}

min_production_replicas := 2

# Where each workload kind keeps its pod spec.
pod_spec_paths := {
	"Pod": ["spec"],
	"Deployment": ["spec", "template", "spec"],
	"StatefulSet": ["spec", "template", "spec"],
	"DaemonSet": ["spec", "template", "spec"],
	"ReplicaSet": ["spec", "template", "spec"],
	"Job": ["spec", "template", "spec"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}

# Kinds that serve until stopped, so probes tell Kubernetes whether they work.
long_running_kinds := {"Deployment", "StatefulSet", "DaemonSet"}

# Kinds whose replica count the production rule checks.
replicated_kinds := {"Deployment", "StatefulSet"}

manifests := input.manifests if is_array(input.manifests)

# Every manifest that runs pods, with its pod spec. Objects a controller
# made (the ReplicaSets and Pods of a Deployment, the Jobs of a CronJob) are
# skipped, so a finding is reported once, on the object people write.
pod_objects contains {"object": manifest, "pod": pod} if {
	some manifest in manifests
	has_resource(manifest)
	pod_spec_paths[manifest.kind]
	not controlled(manifest)
	pod := object.get(manifest, pod_spec_paths[manifest.kind], null)
	is_object(pod)
}

controlled(manifest) if {
	some owner in manifest.metadata.ownerReferences
	owner.controller == true
}

# The manifest has what a finding's resource needs: a kind and a name.
has_resource(manifest) if {
	is_string(manifest.kind)
	is_string(manifest.metadata.name)
}

# Containers and init containers: both run code, so both are held to the
# rules on resources, users and images. Only containers with a name are
# checked; invalid-input reports the others.
all_containers(pod) := array.concat(named(array_field(pod, "containers")), named(array_field(pod, "initContainers")))

named(containers) := [c | some c in containers; is_string(c.name)]

array_field(doc, key) := value if {
	value := object.get(doc, key, [])
	is_array(value)
} else := []

# doc[key] when it is an object, {} when absent; undefined when malformed.
object_field(doc, key) := value if {
	value := object.get(doc, key, {})
	is_object(value)
}

# METADATA
# scope: document
# title: Workload violations
# description: >-
#   The findings for one set of manifests: a set of {id, level, message,
#   remediation, docsUrl?, resource?}, empty when every rule passes.
# entrypoint: true

# METADATA
# title: Containers request resources
# description: Every container requests CPU and memory, so the scheduler places it on a node that has them.
# custom:
#   id: resource-requests
#   level: error
#   remediation: Set resources.requests.cpu and resources.requests.memory on the container, from its observed usage.
#   docsUrl: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
violations contains v if {
	some w in pod_objects
	some container in all_containers(w.pod)
	requests := object_field(object_field(container, "resources"), "requests")
	missing := {name | some name in required_requests; object.get(requests, name, null) == null}
	count(missing) > 0
	message := sprintf("container %s has no resource requests for %s", [container.name, concat(", ", sort(missing))])
	v := finding(rego.metadata.rule(), w.object, message)
}

# METADATA
# title: Containers have a memory limit
# description: Every container sets a memory limit, so one leaking container cannot starve the others on its node.
# custom:
#   id: resource-limits
#   level: error
#   remediation: Set resources.limits.memory on the container, with headroom above its memory request.
#   docsUrl: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
violations contains v if {
	some w in pod_objects
	some container in all_containers(w.pod)
	limits := object_field(object_field(container, "resources"), "limits")
	missing := {name | some name in required_limits; object.get(limits, name, null) == null}
	count(missing) > 0
	message := sprintf("container %s has no resource limits for %s", [container.name, concat(", ", sort(missing))])
	v := finding(rego.metadata.rule(), w.object, message)
}

# METADATA
# title: Containers run as non-root
# description: runAsNonRoot is true for every container, set on the pod or the container, and no container turns it off.
# custom:
#   id: run-as-non-root
#   level: error
#   remediation: >-
#     Set securityContext.runAsNonRoot: true on the pod, and runAsUser to the image's numeric user id
#     (Kubernetes cannot check a user given by name, such as node).
#   docsUrl: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
violations contains v if {
	some w in pod_objects
	some container in all_containers(w.pod)
	not runs_as_non_root(w.pod, container)
	v := finding(rego.metadata.rule(), w.object, sprintf("container %s may run as root", [container.name]))
}

# METADATA
# title: Images are pinned
# description: >-
#   Images name a version tag other than latest, or a digest, so every
#   replica and every rollback runs the same code.
# custom:
#   id: image-pinned
#   level: error
#   remediation: Use an immutable tag such as the release version or commit SHA, or pin the digest (image@sha256:...).
#   docsUrl: https://kubernetes.io/docs/concepts/containers/images/#image-names
violations contains v if {
	some w in pod_objects
	some container in all_containers(w.pod)
	is_string(container.image)
	not pinned(container.image)
	message := sprintf("container %s uses image %s, which is untagged or tagged latest", [container.name, container.image])
	v := finding(rego.metadata.rule(), w.object, message)
}

# METADATA
# title: Containers have a liveness probe
# description: Long-running containers have a liveness probe, so Kubernetes restarts them when they hang.
# custom:
#   id: liveness-probe
#   level: warning
#   remediation: Add livenessProbe to the container, for example an httpGet on a cheap health endpoint.
#   docsUrl: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
violations contains v if {
	some w in pod_objects
	w.object.kind in long_running_kinds
	some container in named(array_field(w.pod, "containers"))
	not "livenessProbe" in object.keys(container)
	v := finding(rego.metadata.rule(), w.object, sprintf("container %s has no livenessProbe", [container.name]))
}

# METADATA
# title: Containers have a readiness probe
# description: Long-running containers have a readiness probe, so they get traffic only once they can serve it.
# custom:
#   id: readiness-probe
#   level: error
#   remediation: Add readinessProbe to the container, checking that it can serve requests (its dependencies reachable).
#   docsUrl: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
violations contains v if {
	some w in pod_objects
	w.object.kind in long_running_kinds
	some container in named(array_field(w.pod, "containers"))
	not "readinessProbe" in object.keys(container)
	v := finding(rego.metadata.rule(), w.object, sprintf("container %s has no readinessProbe", [container.name]))
}

# METADATA
# title: Production runs at least two replicas
# description: >-
#   Deployments and StatefulSets in production run at least two replicas (or
#   an autoscaler's minReplicas), so a node drain or a crash does not take
#   the service down. Production is input.environment "production", the
#   label environment=production on the workload, or a namespace named
#   prod or production or ending in -prod or -production.
# custom:
#   id: production-replicas
#   level: error
#   remediation: >-
#     Set spec.replicas to 2 or more, or let a HorizontalPodAutoscaler with
#     minReplicas of 2 or more manage it.
#   docsUrl: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#replicas
violations contains v if {
	some w in pod_objects
	w.object.kind in replicated_kinds
	in_production(w.object)
	replicas := effective_min_replicas(w.object)
	is_number(replicas)
	replicas < min_production_replicas
	message := sprintf(
		"%s runs %v replica(s) in production, fewer than %v",
		[w.object.kind, replicas, min_production_replicas],
	)
	v := finding(rego.metadata.rule(), w.object, message)
}

# METADATA
# title: Input is well-formed
# description: >-
#   Every field the workload rules read has the type Kubernetes gives it, and
#   the input has the shape of the entry point's contract. A field that is
#   missing, null or of another type is reported here instead of letting the
#   rules that read it pass.
# custom:
#   id: invalid-input
#   level: error
#   remediation: >-
#     Fix the field the message names in the manifest, or, for a field of
#     input (input.manifests, input.environment, input.items), in the caller
#     that builds the OPA input.
#   docsUrl: https://kubernetes.io/docs/concepts/overview/working-with-objects/
violations contains v if {
	some [manifest, message] in problems
	v := finding(rego.metadata.rule(), manifest, message)
}

# The shape checks behind invalid-input are in input.rego.

# METADATA
# scope: document
# title: Workload violations of many entities
# description: >-
#   input {"items": {<key>: {"manifests", "environment"?}, ...}} gives
#   {<key>: [violation, ...]}: per key, what violations gives for that item
#   alone, as an array ([] when none). When input.items is missing or not an
#   object, the answer is {"$batch": [<invalid-input violation>]}, never an
#   empty (clean) object.
# entrypoint: true
batch := {key: item_violations(item) | some key, item in input.items} if items_is_object

batch := {batch_error_key: violations} if {
	not items_is_object

	# The invalid-input rule reports the message (its METADATA is the one
	# place its level and remediation are written); an item without
	# manifests draws nothing else.
	# regal ignore:with-outside-test-context
	violations := item_violations({"manifests": []}) with data.paved.workload.input_problems as {items_problem}
}

batch_error_key := "$batch"

# The violations of one item, as the single-item entry point finds them.
item_violations(item) := found if {
	# Each item is the input of the rules in turn: the rules stay written for
	# one entity, and 10,000 items take well under the 5 s budget (README).
	# regal ignore:with-outside-test-context
	found := [v | some v in violations] with input as item
}

runs_as_non_root(_, container) if container.securityContext.runAsNonRoot == true

# A container setting runAsNonRoot: false overrides the pod's true.
runs_as_non_root(pod, container) if {
	pod.securityContext.runAsNonRoot == true
	not container.securityContext.runAsNonRoot == false
}

pinned(image) if contains(image, "@")

pinned(image) if {
	not contains(image, "@")
	not image_tag(image) in {"", "latest"}
}

# The tag of an image reference: what follows ":" in its last path segment.
# A ":" in an earlier segment is a registry port (registry:5000/app).
default image_tag(_) := ""

image_tag(image) := tag if {
	segments := split(image, "/")
	name_and_tag := split(segments[count(segments) - 1], ":")
	count(name_and_tag) == 2
	tag := name_and_tag[1]
}

in_production(_) if input.environment == "production"

in_production(manifest) if manifest.metadata.labels.environment == "production"

in_production(manifest) if {
	namespace := object.get(manifest.metadata, "namespace", "")
	is_string(namespace)
	regex.match(`^(prod|production)$|-(prod|production)$`, namespace)
}

# An autoscaler targeting the workload decides its replica count; without
# one, Kubernetes defaults spec.replicas to 1.
effective_min_replicas(manifest) := object.get(autoscaler.spec, "minReplicas", 1) if {
	some autoscaler in manifests
	autoscaler.kind == "HorizontalPodAutoscaler"
	autoscaler.spec.scaleTargetRef.kind == manifest.kind
	autoscaler.spec.scaleTargetRef.name == manifest.metadata.name
	object.get(autoscaler.metadata, "namespace", "") == object.get(manifest.metadata, "namespace", "")
} else := object.get(manifest, ["spec", "replicas"], 1)

# The manifest a finding is about; namespace only when the manifest has one.
resource(manifest) := object.union(
	{
		"apiVersion": string_field(manifest, "apiVersion"),
		"kind": manifest.kind,
		"name": manifest.metadata.name,
	},
	{"namespace": namespace | namespace := string_field(manifest.metadata, "namespace"); namespace != ""},
)

string_field(doc, key) := value if {
	value := object.get(doc, key, "")
	is_string(value)
} else := ""

# A violation of the rule being evaluated, about one manifest (or, when
# manifest is null, about the input). Its id, level, remediation and docsUrl
# are read from the rule's METADATA.
finding(rule, manifest, message) := object.union_n([
	{
		"id": rule.custom.id,
		"level": rule.custom.level,
		"message": message,
		"remediation": rule.custom.remediation,
	},
	object.filter(rule.custom, {"docsUrl"}),
	{"resource": resource(manifest) | manifest != null},
])
