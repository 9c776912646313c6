package paved.workload_test

import rego.v1

import data.paved.workload

# Fail closed: every field the rules read, missing (where required), null and
# of the wrong type, draws an invalid-input violation naming the field.
# resource is the name of the manifest the finding is about (null: none).
invalid_cases := object.union_n([
	input_cases,
	manifest_cases,
	pod_cases,
	container_cases,
	replica_cases,
	autoscaler_cases,
])

input_cases := {
	"input not an object": {"doc": [deployment], "message": "input is an array, expected an object", "resource": null},
	"manifests missing": {"doc": {}, "message": "input.manifests is missing, expected an array", "resource": null},
	"manifests null": {
		"doc": {"manifests": null},
		"message": "input.manifests is null, expected an array",
		"resource": null,
	},
	"manifests object": {
		"doc": {"manifests": deployment},
		"message": "input.manifests is an object, expected an array",
		"resource": null,
	},
	"environment null": {
		"doc": {"manifests": [deployment], "environment": null},
		"message": "input.environment is null, expected a string",
		"resource": null,
	},
	"environment boolean": {
		"doc": {"manifests": [deployment], "environment": true},
		"message": "input.environment is a boolean, expected a string",
		"resource": null,
	},
}

manifest_cases := {
	"manifest string": {
		"doc": {"manifests": ["api"]},
		"message": "manifests[0] is a string, expected an object",
		"resource": null,
	},
	"manifest null": {
		"doc": {"manifests": [deployment, null]},
		"message": "manifests[1] is null, expected an object",
		"resource": null,
	},
	"kind missing": {
		"doc": {"manifests": [object.remove(deployment, {"kind"})]},
		"message": "manifests[0].kind is missing, expected a string",
		"resource": null,
	},
	"kind null": {
		"doc": {"manifests": [object.union(deployment, {"kind": null})]},
		"message": "manifests[0].kind is null, expected a string",
		"resource": null,
	},
	"kind number": {
		"doc": {"manifests": [object.union(deployment, {"kind": 3})]},
		"message": "manifests[0].kind is a number, expected a string",
		"resource": null,
	},
	"metadata missing": {
		"doc": {"manifests": [object.remove(deployment, {"metadata"})]},
		"message": "manifests[0].metadata is missing, expected an object",
		"resource": null,
	},
	"metadata null": {
		"doc": {"manifests": [object.union(deployment, {"metadata": null})]},
		"message": "manifests[0].metadata is null, expected an object",
		"resource": null,
	},
	"metadata string": {
		"doc": {"manifests": [object.union(deployment, {"metadata": "api"})]},
		"message": "manifests[0].metadata is a string, expected an object",
		"resource": null,
	},
	"metadata.name missing": {
		"doc": {"manifests": [json.remove(deployment, [["metadata", "name"]])]},
		"message": "manifests[0].metadata.name is missing, expected a string",
		"resource": null,
	},
	"metadata.name null": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"name": null}})]},
		"message": "manifests[0].metadata.name is null, expected a string",
		"resource": null,
	},
	"metadata.name number": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"name": 1}})]},
		"message": "manifests[0].metadata.name is a number, expected a string",
		"resource": null,
	},
	"apiVersion null": {
		"doc": {"manifests": [object.union(deployment, {"apiVersion": null})]},
		"message": "apiVersion is null, expected a string",
		"resource": "api",
	},
	"apiVersion number": {
		"doc": {"manifests": [object.union(deployment, {"apiVersion": 1})]},
		"message": "apiVersion is a number, expected a string",
		"resource": "api",
	},
	"namespace null": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"namespace": null}})]},
		"message": "metadata.namespace is null, expected a string",
		"resource": "api",
	},
	"namespace array": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"namespace": ["payments-prod"]}})]},
		"message": "metadata.namespace is an array, expected a string",
		"resource": "api",
	},
	"ownerReferences null": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"ownerReferences": null}})]},
		"message": "metadata.ownerReferences is null, expected an array",
		"resource": "api",
	},
	"ownerReferences object": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"ownerReferences": {"controller": true}}})]},
		"message": "metadata.ownerReferences is an object, expected an array",
		"resource": "api",
	},
	"ownerReference string": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"ownerReferences": ["rs"]}})]},
		"message": "metadata.ownerReferences[0] is a string, expected an object",
		"resource": "api",
	},
	"ownerReference controller null": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"ownerReferences": [{"controller": null}]}})]},
		"message": "metadata.ownerReferences[0].controller is null, expected a boolean",
		"resource": "api",
	},
	"ownerReference controller string": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"ownerReferences": [{"controller": "true"}]}})]},
		"message": "metadata.ownerReferences[0].controller is a string, expected a boolean",
		"resource": "api",
	},
}

test_invalid_input_names_the_field[name] if {
	some name, case in invalid_cases
	found := workload.violations with input as case.doc
	some v in found
	v.id == "invalid-input"
	v.level == "error"
	v.message == case.message
	object.get(v, ["resource", "name"], null) == case.resource
	startswith(v.remediation, "Fix the field the message names")
	startswith(v.docsUrl, "https://kubernetes.io/")
}

test_invalid_input_resource_is_the_manifest if {
	found := workload.violations with input as invalid_cases["replicas string"].doc
	some v in found
	v.id == "invalid-input"
	v.resource == {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "payments-prod", "name": "api"}
}

# A malformed field is reported once, by invalid-input: the rules that read
# it do not also report it as absent.
test_invalid_input_is_the_only_finding_for_a_malformed_field[name] if {
	some name in {
		"resources string", "resources.requests array", "resources.limits number", "container image null",
		"livenessProbe null", "readinessProbe boolean", "replicas string", "container name number",
	}
	ids(invalid_cases[name].doc.manifests) == {"invalid-input"}
}

test_invalid_input_passes_for_well_formed_manifests if {
	every manifests in well_formed {
		not "invalid-input" in ids(manifests)
	}
}

# Optional fields left out, and fields the rules do not read for that kind
# or for objects a controller made.
well_formed := [
	[deployment],
	[deployment, autoscaler],
	[json.remove(deployment, [["apiVersion"], ["metadata", "namespace"], ["spec", "replicas"]])],
	[json.remove(deployment, [["spec", "template", "spec", "securityContext"]])],
	[with_container(object.remove(container, {"resources", "livenessProbe", "readinessProbe"}))],
	[{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"}, "spec": [80]}],
	[{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "api"}}],
	[{
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {"name": "api-x", "ownerReferences": [{"kind": "ReplicaSet", "name": "api", "controller": true}]},
		"spec": {"containers": "made by a controller: not read"},
	}],
	[{
		"apiVersion": "batch/v1",
		"kind": "Job",
		"metadata": {"name": "migrate"},
		"spec": {"template": {"spec": {"containers": [object.union(container, {"livenessProbe": "not read for Jobs"})]}}},
	}],
]

test_missing_input_is_invalid if {
	found := workload.violations with input as null
	some v in found
	v.id == "invalid-input"
	v.message == "input is null, expected an object"
	not v.resource
}

# Queried without any input (an HTTP request without "input"), the entry
# point reports it instead of answering [].
test_no_input_is_invalid if {
	some v in workload.violations
	v.id == "invalid-input"
	v.message == "input is missing, expected an object"
}

test_paths_name_list_elements_and_keys_that_are_not_identifiers if {
	workload.path_text(["spec", "containers", 0, "name"]) == "spec.containers[0].name"
	workload.path_text(["metadata", "labels", "app.kubernetes.io/name"]) == `metadata.labels["app.kubernetes.io/name"]`
}

# The fast paths accept exactly what their tables accept: for every row, a
# value of a type the row does not allow (and, for a required field, no
# value) makes the fast path fail, so the table's message is produced.
fast_paths := {
	"manifest": {"table": workload.manifest_fields, "doc": deployment},
	"pod": {"table": workload.pod_fields, "doc": deployment.spec.template.spec},
	"container": {"table": workload.container_fields, "doc": container},
	"probes": {"table": workload.probe_fields, "doc": container},
}

fast_path_accepts(name, doc) if {
	name == "manifest"
	workload.manifest_ok(doc)
}

fast_path_accepts(name, doc) if {
	name == "pod"
	workload.pod_ok(doc)
}

fast_path_accepts(name, doc) if {
	name == "container"
	workload.container_ok(doc)
}

fast_path_accepts(name, doc) if {
	name == "probes"
	workload.probes_ok(doc)
}

# One sample value of each JSON type.
samples := ["text", 1, true, null, [], {"k": "v"}]

# The doc with the field at path set to a value of a type the row rejects
# (missing parents added as objects first).
malformed_docs(doc, path, types) := [json.patch(doc, array.concat(parents(doc, path), [set_op(path, v)])) |
	some v in samples
	not type_name(v) in types
]

parents(doc, path) := [{"op": "add", "path": pointer(prefix), "value": {}} |
	some n in numbers.range(1, count(path) - 1)
	prefix := array.slice(path, 0, n)
	not object.get(doc, prefix, false)
]

set_op(path, value) := {"op": "add", "path": pointer(path), "value": value}

pointer(path) := concat("", [concat("", ["/", segment]) | some segment in path])

test_fast_paths_accept_the_compliant_fixtures[name] if {
	some name, fast in fast_paths
	fast_path_accepts(name, fast.doc)
}

test_fast_paths_reject_every_malformed_row[name] if {
	some name, fast in fast_paths
	every row in fast.table {
		[path, types, _] := row
		count(malformed_docs(fast.doc, path, types)) > 0
		every doc in malformed_docs(fast.doc, path, types) {
			not fast_path_accepts(name, doc)
		}
	}
}

test_fast_paths_reject_every_missing_required_field[name] if {
	some name, fast in fast_paths
	every row in fast.table {
		[path, _, required] := row
		missing_rejected(name, fast.doc, path, required)
	}
}

missing_rejected(_, _, _, false)

missing_rejected(name, doc, path, true) if not fast_path_accepts(name, json.remove(doc, [path]))
