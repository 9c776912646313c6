# Input shapes of paved.workload: what a well-formed input is, and the
# problems the invalid-input rule (workload.rego) reports. Fail closed: a
# field a rule reads that is missing (when required), null or of another type
# is a finding, never a silent pass.
package paved.workload

import rego.v1

# The fields the rules read, as [path, expected types, required]. A field
# that is missing (when required), null or of another type is reported by
# invalid-input, and the rules that read it leave it alone: fail closed, never
# a silent pass. Paths under input:
input_fields := [
	[["manifests"], ["array"], true],
	[["environment"], ["string"], false],
]

# Paths under every manifest:
manifest_fields := [
	[["apiVersion"], ["string"], false],
	[["kind"], ["string"], true],
	[["metadata"], ["object"], true],
	[["metadata", "name"], ["string"], true],
	[["metadata", "namespace"], ["string"], false],
]

# Under the pod spec of a workload that is checked:
pod_fields := [
	[["containers"], ["array"], true],
	[["initContainers"], ["array"], false],
	[["securityContext"], ["object"], false],
	[["securityContext", "runAsNonRoot"], ["boolean"], false],
]

# Under each container and init container:
container_fields := [
	[["name"], ["string"], true],
	[["image"], ["string"], true],
	[["resources"], ["object"], false],
	[["resources", "requests"], ["object"], false],
	[["resources", "limits"], ["object"], false],
	[["securityContext"], ["object"], false],
	[["securityContext", "runAsNonRoot"], ["boolean"], false],
]

# Under each container (not init container) of a long-running kind:
probe_fields := [
	[["livenessProbe"], ["object"], false],
	[["readinessProbe"], ["object"], false],
]

# Under Deployments and StatefulSets:
replica_fields := [
	[["spec", "replicas"], ["number"], false],
	[["metadata", "labels"], ["object"], false],
	[["metadata", "labels", "environment"], ["string"], false],
]

# Under HorizontalPodAutoscalers, which the production rule reads:
autoscaler_fields := [
	[["spec"], ["object"], true],
	[["spec", "scaleTargetRef"], ["object"], true],
	[["spec", "scaleTargetRef", "kind"], ["string"], true],
	[["spec", "scaleTargetRef", "name"], ["string"], true],
	[["spec", "minReplicas"], ["number"], false],
]

# What is malformed, as [the manifest it is about or null, message].
problems contains [null, message] if some message in input_problems

problems contains [manifest, message] if {
	some [i, path, problem] in manifest_problems
	manifest := located(manifests[i])
	message := problem_message(i, path, problem)
}

# What is malformed in the input (not in one manifest), one message each.
input_problems contains message if {
	not input_is_object
	message := sprintf("input is %s, expected an object", [input_text])
}

input_problems contains message if {
	input_is_object
	some [path, types, required] in input_fields
	value := object.get(input, path, absent)
	not type_name(value) in types
	present_or_required(value, required)
	message := field_problem(input, ["input"], path, types, required)
}

# What is malformed in the manifests, as [index, path, problem]: the path
# under the manifest, and "is missing, expected ...". Each check looks the
# field up once and calls a function only for a field that is not
# well-formed (or absent): this is the hot path of a batch.
manifest_problems contains [i, [], sprintf("is %s, expected an object", [type_text(manifest)])] if {
	some i, manifest in manifests
	not is_object(manifest)
}

manifest_problems contains [i, path, problem] if {
	some i, manifest in manifests
	not manifest_ok(manifest)
	some [path, types, required] in manifest_fields
	value := object.get(manifest, path, absent)
	not type_name(value) in types
	present_or_required(value, required)
	problem := shape_problem(manifest, path, types, required)
}

manifest_problems contains [i, path, problem] if {
	some i in pod_kind_manifests
	path := ["metadata", "ownerReferences"]
	value := object.get(manifests[i], path, absent)
	not is_array(value)
	value != absent
	problem := shape_problem(manifests[i], path, ["array"], false)
}

manifest_problems contains [i, ["metadata", "ownerReferences", j], problem] if {
	some i in pod_kind_manifests
	some j, reference in array_field(manifests[i].metadata, "ownerReferences")
	problem := element_problem(reference)
}

manifest_problems contains [i, ["metadata", "ownerReferences", j, "controller"], problem] if {
	some i in pod_kind_manifests
	some j, reference in array_field(manifests[i].metadata, "ownerReferences")
	value := object.get(reference, ["controller"], absent)
	not is_boolean(value)
	value != absent
	problem := shape_problem(reference, ["controller"], ["boolean"], false)
}

# Each step of the pod spec's path is an object.
manifest_problems contains [i, path, problem] if {
	some i in checked_workloads
	pod_path := pod_spec_paths[manifests[i].kind]
	some n in numbers.range(1, count(pod_path))
	path := array.slice(pod_path, 0, n)
	not is_object(object.get(manifests[i], path, null))
	problem := shape_problem(manifests[i], path, ["object"], true)
}

manifest_problems contains [i, array.concat(pod_path, path), problem] if {
	some i in checked_workloads
	pod_path := pod_spec_paths[manifests[i].kind]
	pod := object.get(manifests[i], pod_path, null)
	not pod_ok(pod)
	some [path, types, required] in pod_fields
	value := object.get(pod, path, absent)
	not type_name(value) in types
	present_or_required(value, required)
	problem := shape_problem(pod, path, types, required)
}

manifest_problems contains [i, path, "is an empty array, expected at least one container"] if {
	some i in checked_workloads
	path := array.concat(pod_spec_paths[manifests[i].kind], ["containers"])
	object.get(manifests[i], path, null) == []
}

manifest_problems contains [i, path, problem] if {
	some [i, path] in checked_containers
	container := object.get(manifests[i], path, null)
	not is_object(container)
	problem := element_problem(container)
}

manifest_problems contains [i, array.concat(path, field), problem] if {
	some [i, path] in checked_containers
	container := object.get(manifests[i], path, null)
	is_object(container)
	not container_ok(container)
	some [field, types, required] in container_fields
	value := object.get(container, field, absent)
	not type_name(value) in types
	present_or_required(value, required)
	problem := shape_problem(container, field, types, required)
}

manifest_problems contains [i, array.concat(path, field), problem] if {
	some [i, path] in checked_containers
	manifests[i].kind in long_running_kinds
	path[count(path) - 2] == "containers"
	container := object.get(manifests[i], path, null)
	is_object(container)
	not probes_ok(container)
	some [field, types, required] in probe_fields
	value := object.get(container, field, absent)
	not type_name(value) in types
	present_or_required(value, required)
	problem := shape_problem(container, field, types, required)
}

manifest_problems contains [i, path, problem] if {
	some i, manifest in manifests
	manifest.kind in replicated_kinds
	some [path, types, required] in replica_fields
	value := object.get(manifest, path, absent)
	not type_name(value) in types
	present_or_required(value, required)
	problem := shape_problem(manifest, path, types, required)
}

manifest_problems contains [i, path, problem] if {
	some i, manifest in manifests
	manifest.kind == "HorizontalPodAutoscaler"
	some [path, types, required] in autoscaler_fields
	value := object.get(manifest, path, absent)
	not type_name(value) in types
	present_or_required(value, required)
	problem := shape_problem(manifest, path, types, required)
}

# Fast paths: the common, well-formed case in one call of plain lookups
# instead of a pass over each table row. Each accepts exactly what its table
# accepts; input_test.rego derives a malformed value from every row of the
# tables and checks that the fast path rejects it.
manifest_ok(manifest) if {
	is_string(object.get(manifest, "apiVersion", ""))
	is_string(manifest.kind)
	is_object(manifest.metadata)
	is_string(manifest.metadata.name)
	is_string(object.get(manifest.metadata, "namespace", ""))
}

pod_ok(pod) if {
	is_array(pod.containers)
	is_array(object.get(pod, "initContainers", []))
	is_object(object.get(pod, "securityContext", {}))
	is_boolean(object.get(pod, ["securityContext", "runAsNonRoot"], false))
}

container_ok(container) if {
	is_string(container.name)
	is_string(container.image)
	is_object(object.get(container, "resources", {}))
	is_object(object.get(container, ["resources", "requests"], {}))
	is_object(object.get(container, ["resources", "limits"], {}))
	is_object(object.get(container, "securityContext", {}))
	is_boolean(object.get(container, ["securityContext", "runAsNonRoot"], false))
}

probes_ok(container) if {
	is_object(object.get(container, "livenessProbe", {}))
	is_object(object.get(container, "readinessProbe", {}))
}

# Indexes of the manifests of a kind that runs pods.
pod_kind_manifests contains i if {
	some i, manifest in manifests
	pod_spec_paths[manifest.kind]
}

# Indexes of the manifests whose pod spec the rules read: not made by a controller.
checked_workloads contains i if {
	some i in pod_kind_manifests
	not controlled(manifests[i])
}

# Every container and init container of a checked workload, as [index, path].
checked_containers contains [i, array.concat(pod_path, [list, j])] if {
	some i in checked_workloads
	pod_path := pod_spec_paths[manifests[i].kind]
	some list in ["containers", "initContainers"]
	some j, _ in array_field(object.get(manifests[i], pod_path, null), list)
}

# An element of a list that should hold objects.
element_problem(element) := sprintf("is %s, expected an object", [type_text(element)]) if not is_object(element)

# The message of a manifest's problem: the path under the manifest when the
# finding names the manifest as its resource, else under input.
problem_message(i, path, problem) := concat(" ", [path_text(path), problem]) if has_resource(manifests[i])

problem_message(i, path, problem) := concat(" ", [path_text(array.concat(["manifests", i], path)), problem]) if {
	not has_resource(manifests[i])
}

# The manifest a finding is about, or null when it has no kind or name.
located(manifest) := manifest if has_resource(manifest)

located(manifest) := null if not has_resource(manifest)

items_problem := sprintf("input.items is %s, expected an object of items by key", [value_text(input, "items")]) if {
	input_is_object
}

items_problem := sprintf("input is %s, expected an object with items", [input_text]) if not input_is_object

# Helpers for `not`: OPA evaluates a call's arguments before the negation, so
# `not is_object(input.items)` is undefined, not true, when input.items is.
input_is_object if is_object(input)

items_is_object if is_object(input.items)

default input_text := "missing"

input_text := type_text(input)

# Shape helpers, the same in catalog/input.rego and workload/input.rego.

# "<path> is missing, expected a string" or "<path> is a number, expected a
# string" when the field at path under doc is not well-formed, with the path
# under base; undefined when it is, or when its parent is not an object (then
# the parent's own check reports it).
field_problem(doc, base, path, types, required) := concat(" ", [path_text(array.concat(base, path)), problem]) if {
	problem := shape_problem(doc, path, types, required)
}

# Callers look the field up first (object.get(doc, path, absent)) and call
# these only for a value of another type: the common, well-formed case costs
# no function call. A set stands for an absent field: JSON cannot hold one.
absent := {"absent"}

present_or_required(_, true)

present_or_required(value, false) if value != absent

# "is missing, expected a string", "is a number, expected a string", or
# undefined when the field at path under doc is well-formed or its parent is
# not an object.
shape_problem(doc, path, types, required) := problem if {
	is_object(doc)
	parent := object.get(doc, array.slice(path, 0, count(path) - 1), null)
	is_object(parent)
	problem := value_problem(parent, path[count(path) - 1], types, required)
}

value_problem(parent, key, types, true) := sprintf("is missing, expected %s", [types_text(types)]) if {
	not key in object.keys(parent)
}

value_problem(parent, key, types, _) := sprintf("is %s, expected %s", [type_text(value), types_text(types)]) if {
	value := parent[key]
	not type_name(value) in types
}

# "missing" or the type of doc[key], for a message.
value_text(doc, key) := type_text(doc[key])

value_text(doc, key) := "missing" if not key in object.keys(doc)

type_text(value) := type_article(type_name(value))

types_text(types) := concat(" or ", [type_article(t) | some t in types])

type_article("null") := "null"

type_article(name) := concat(" ", ["an", name]) if name in {"array", "object"}

type_article(name) := concat(" ", ["a", name]) if not name in {"null", "array", "object"}

# spec.template.spec.containers[0].name, metadata.labels["app.kubernetes.io/name"], ...
path_text(path) := trim_prefix(concat("", [segment_text(s) | some s in path]), ".")

segment_text(segment) := sprintf("[%d]", [segment]) if is_number(segment)

segment_text(segment) := concat("", [".", segment]) if {
	is_string(segment)
	regex.match(identifier, segment)
}

segment_text(segment) := sprintf("[%s]", [json.marshal(segment)]) if {
	is_string(segment)
	not regex.match(identifier, segment)
}

identifier := `^[A-Za-z_][A-Za-z0-9_]*$`
