package paved.catalog_test

import rego.v1

import data.paved.catalog

# Fail closed: every field the rules read, missing (where required), null and
# of the wrong type, draws an invalid-input violation naming the field.
invalid_cases := {
	"input is not an object": {"doc": [service], "message": "input is an array, expected an object"},
	"input.entity missing": {
		"doc": {"owner": team, "system": checkout},
		"message": "input.entity is missing, expected an object",
	},
	"input.entity null": {"doc": {"entity": null}, "message": "input.entity is null, expected an object"},
	"input.entity string": {
		"doc": {"entity": "component:default/payments"},
		"message": "input.entity is a string, expected an object",
	},
	"input.owner string": {
		"doc": {"entity": service, "owner": "group:default/payments-team", "system": checkout},
		"message": "input.owner is a string, expected an object or null",
	},
	"input.owner array": {
		"doc": {"entity": service, "owner": [team], "system": checkout},
		"message": "input.owner is an array, expected an object or null",
	},
	"input.system boolean": {
		"doc": {"entity": service, "owner": team, "system": true},
		"message": "input.system is a boolean, expected an object or null",
	},
	"kind missing": {"doc": resolved(object.remove(service, {"kind"})), "message": "kind is missing, expected a string"},
	"kind null": {"doc": resolved(object.union(service, {"kind": null})), "message": "kind is null, expected a string"},
	"kind number": {"doc": resolved(object.union(service, {"kind": 1})), "message": "kind is a number, expected a string"},
	"metadata missing": {
		"doc": resolved(object.remove(service, {"metadata"})),
		"message": "metadata is missing, expected an object",
	},
	"metadata null": {
		"doc": resolved(object.union(service, {"metadata": null})),
		"message": "metadata is null, expected an object",
	},
	"metadata string": {
		"doc": resolved(object.union(service, {"metadata": "payments"})),
		"message": "metadata is a string, expected an object",
	},
	"metadata.annotations null": {
		"doc": resolved(json.patch(service, [{"op": "replace", "path": "/metadata/annotations", "value": null}])),
		"message": "metadata.annotations is null, expected an object",
	},
	"metadata.annotations string": {
		"doc": resolved(json.patch(service, [{"op": "replace", "path": "/metadata/annotations", "value": "a=b"}])),
		"message": "metadata.annotations is a string, expected an object",
	},
	"metadata.description null": {
		"doc": resolved(object.union(service, {"metadata": {"description": null}})),
		"message": "metadata.description is null, expected a string",
	},
	"metadata.description number": {
		"doc": resolved(object.union(service, {"metadata": {"description": 42}})),
		"message": "metadata.description is a number, expected a string",
	},
	"kubernetes-id null": {
		"doc": resolved(object.union(service, {"metadata": {"annotations": {"backstage.io/kubernetes-id": null}}})),
		"message": `metadata.annotations["backstage.io/kubernetes-id"] is null, expected a string`,
	},
	"kubernetes-id number": {
		"doc": resolved(object.union(service, {"metadata": {"annotations": {"backstage.io/kubernetes-id": 7}}})),
		"message": `metadata.annotations["backstage.io/kubernetes-id"] is a number, expected a string`,
	},
	"kubernetes-label-selector null": {
		"doc": resolved(object.union(
			service,
			{"metadata": {"annotations": {"backstage.io/kubernetes-label-selector": null}}},
		)),
		"message": `metadata.annotations["backstage.io/kubernetes-label-selector"] is null, expected a string`,
	},
	"kubernetes-label-selector object": {
		"doc": resolved(object.union(
			service,
			{"metadata": {"annotations": {"backstage.io/kubernetes-label-selector": {"app": "payments"}}}},
		)),
		"message": `metadata.annotations["backstage.io/kubernetes-label-selector"] is an object, expected a string`,
	},
	"techdocs-ref null": {
		"doc": resolved(object.union(service, {"metadata": {"annotations": {"backstage.io/techdocs-ref": null}}})),
		"message": `metadata.annotations["backstage.io/techdocs-ref"] is null, expected a string`,
	},
	"techdocs-ref boolean": {
		"doc": resolved(object.union(service, {"metadata": {"annotations": {"backstage.io/techdocs-ref": true}}})),
		"message": `metadata.annotations["backstage.io/techdocs-ref"] is a boolean, expected a string`,
	},
	"spec null": {"doc": resolved(object.union(service, {"spec": null})), "message": "spec is null, expected an object"},
	"spec array": {
		"doc": resolved(object.union(service, {"spec": [service.spec]})),
		"message": "spec is an array, expected an object",
	},
	"spec.owner null": {
		"doc": resolved(object.union(service, {"spec": {"owner": null}})),
		"message": "spec.owner is null, expected a string",
	},
	"spec.owner number": {
		"doc": resolved(object.union(service, {"spec": {"owner": 12}})),
		"message": "spec.owner is a number, expected a string",
	},
	"spec.system null": {
		"doc": resolved(object.union(service, {"spec": {"system": null}})),
		"message": "spec.system is null, expected a string",
	},
	"spec.system array": {
		"doc": resolved(object.union(service, {"spec": {"system": ["checkout"]}})),
		"message": "spec.system is an array, expected a string",
	},
	"spec.lifecycle null": {
		"doc": resolved(object.union(service, {"spec": {"lifecycle": null}})),
		"message": "spec.lifecycle is null, expected a string",
	},
	"spec.lifecycle number": {
		"doc": resolved(object.union(service, {"spec": {"lifecycle": 1}})),
		"message": "spec.lifecycle is a number, expected a string",
	},
	"spec.type null": {
		"doc": resolved(object.union(service, {"spec": {"type": null}})),
		"message": "spec.type is null, expected a string",
	},
	"spec.type object": {
		"doc": resolved(object.union(service, {"spec": {"type": {"name": "service"}}})),
		"message": "spec.type is an object, expected a string",
	},
	"owner of a System": {
		"doc": resolved(object.union(checkout, {"spec": {"owner": false}})),
		"message": "spec.owner is a boolean, expected a string",
	},
	"description of an API": {
		"doc": resolved(object.union(api, {"metadata": {"description": ["Payments API"]}})),
		"message": "metadata.description is an array, expected a string",
	},
}

api := {
	"apiVersion": "backstage.io/v1alpha1",
	"kind": "API",
	"metadata": {"name": "payments-api", "description": "Card payments."},
	"spec": {"type": "openapi", "lifecycle": "production", "owner": "group:default/payments-team", "system": "checkout"},
}

test_invalid_input_names_the_field[name] if {
	some name, case in invalid_cases
	found := catalog.violations with input as case.doc
	some v in found
	v.id == "invalid-input"
	v.level == "error"
	v.message == case.message
	startswith(v.remediation, "Fix the field the message names")
	startswith(v.docsUrl, "https://backstage.io/")
}

# A malformed field is reported once, by invalid-input: the rules that read
# it do not also report it as absent.
test_invalid_input_is_the_only_finding_for_a_malformed_field[name] if {
	some name in {"spec.owner number", "spec.system array", "spec.lifecycle number", "metadata.description number"}
	ids(invalid_cases[name].doc) == {"invalid-input"}
}

test_invalid_input_passes_for_well_formed_entities if {
	every doc in well_formed {
		not "invalid-input" in ids(doc)
	}
}

# Optional fields left out, and fields the rules do not read for that kind.
well_formed := [
	resolved(service),
	{"entity": service},
	{"entity": service, "owner": null, "system": null},
	resolved(team),
	resolved(object.remove(team, {"spec"})),
	resolved(json.remove(service, [["metadata", "annotations"], ["metadata", "description"]])),
	resolved(json.remove(service, [["spec", "owner"], ["spec", "system"], ["spec", "lifecycle"], ["spec", "type"]])),
	resolved(object.union(team, {"spec": {"owner": 5, "lifecycle": 1}})),
	resolved(object.union(checkout, {"spec": {"lifecycle": 1, "type": 2}})),
	resolved(api),
]

test_missing_input_is_invalid if {
	found := catalog.violations with input as null
	some v in found
	v.id == "invalid-input"
	v.message == "input is null, expected an object"
}

# Queried without any input (an HTTP request without "input"), the entry
# point reports it instead of answering [].
test_no_input_is_invalid if {
	some v in catalog.violations
	v.id == "invalid-input"
	v.message == "input is missing, expected an object"
}

test_paths_name_list_elements_and_keys_that_are_not_identifiers if {
	catalog.path_text(["spec", "containers", 0, "name"]) == "spec.containers[0].name"
	catalog.path_text(["metadata", "labels", "app.kubernetes.io/name"]) == `metadata.labels["app.kubernetes.io/name"]`
}

# kind_fields spells out, per kind, the fields the rules read for it.
test_kind_fields_cover_the_owned_kinds if {
	object.keys(catalog.kind_fields) == catalog.owned_kinds
	every kind in catalog.owned_kinds {
		["spec", "owner"] in catalog.kind_fields[kind]
		["metadata", "description"] in catalog.kind_fields[kind]
	}
}

test_kind_fields_read_the_system_of_system_members if {
	every kind in catalog.system_member_kinds {
		["spec", "system"] in catalog.kind_fields[kind]
	}
}

test_kind_fields_read_the_lifecycle_of_components_and_apis if {
	lifecycle_kinds := {k | some k, paths in catalog.kind_fields; ["spec", "lifecycle"] in paths}
	lifecycle_kinds == {"API", "Component"}
}

test_kind_fields_read_the_annotations_of_components if {
	annotation_paths := {path | some path in catalog.kind_fields.Component; count(path) == 3}
	names := catalog.kubernetes_annotations | {catalog.techdocs_annotation, catalog.runtime_annotation}
	annotation_paths == {["metadata", "annotations", name] | some name in names}
}

# The shape helpers are shared with workload/input.rego.
test_shape_problem_is_undefined_for_a_well_formed_field if {
	not catalog.shape_problem({"owner": "team-a"}, ["owner"], ["string"], true)
	not catalog.shape_problem({}, ["owner"], ["string"], false)
	catalog.shape_problem({}, ["owner"], ["string"], true) == "is missing, expected a string"
}

# The fast paths reject every malformed row of their tables: for each row, a
# value of a type the row does not allow (and, for a required field, no
# value) makes the fast path fail, so the table's message is produced.
samples := ["text", 1, true, null, [], {"k": "v"}]

# Rows as [path under input, types, required]: the input's, the entity's, and
# every kind's fields.
fast_rows := array.flatten([
	catalog.input_fields,
	[[array.concat(["entity"], path), types, required] | some [path, types, required] in catalog.entity_fields],
	[[array.concat(["entity"], path), ["string"], false] | some paths in catalog.kind_fields; some path in paths],
])

# The compliant input with one field of another type, per row and type, or
# without a required field.
malformed_inputs contains json.patch(resolved(service), [{"op": "add", "path": pointer(path), "value": v}]) if {
	some [path, types, _] in fast_rows
	some v in samples
	not type_name(v) in types
}

malformed_inputs contains json.remove(resolved(service), [path]) if {
	some [path, _, true] in fast_rows
}

test_fast_paths_accept_the_compliant_fixture if {
	catalog.input_ok with input as resolved(service)
	catalog.entity_ok with input as resolved(service)
}

test_fast_paths_reject_every_malformed_row if {
	count({row | some row in fast_rows}) == 16
	count(malformed_inputs) > 60
	accepted := {doc |
		some doc in malformed_inputs
		catalog.input_ok with input as doc
		catalog.entity_ok with input as doc
	}
	count(accepted) == 0
}

# A JSON Pointer (RFC 6901): "~" and "/" in a key are escaped.
pointer(path) := concat("", [concat("", ["/", replace(replace(segment, "~", "~0"), "/", "~1")]) | some segment in path])
