package paved.catalog_test

import rego.v1

import data.paved.catalog

# A Component that meets every rule, and the entities its refs resolve to.
service := {
	"apiVersion": "backstage.io/v1alpha1",
	"kind": "Component",
	"metadata": {
		"name": "payments",
		"description": "Takes card payments for the checkout.",
		"annotations": {
			"backstage.io/kubernetes-id": "payments",
			"backstage.io/techdocs-ref": "dir:.",
		},
	},
	"spec": {
		"type": "service",
		"lifecycle": "production",
		"owner": "group:default/payments-team",
		"system": "checkout",
	},
}

team := {
	"apiVersion": "backstage.io/v1alpha1",
	"kind": "Group",
	"metadata": {"name": "payments-team"},
	"spec": {"type": "team", "children": []},
}

checkout := {
	"apiVersion": "backstage.io/v1alpha1",
	"kind": "System",
	"metadata": {"name": "checkout", "description": "Checkout."},
	"spec": {"owner": "group:default/payments-team"},
}

resolved(entity) := {"entity": entity, "owner": team, "system": checkout}

# The ids of the violations found for one input document.
ids(doc) := {v.id | some v in found} if {
	found := catalog.violations with input as doc
}

test_compliant_service_has_no_violations if {
	doc := resolved(service)
	count(catalog.violations) == 0 with input as doc
}

test_violation_carries_metadata_from_the_rule_annotation if {
	doc := resolved(object.remove(service, {"spec"}))
	found := catalog.violations with input as doc
	some v in found
	v.id == "owner-set"
	v.level == "error"
	v.message == "spec.owner is not set"
	startswith(v.remediation, "Set spec.owner")
	startswith(v.docsUrl, "https://backstage.io/")
}

test_owner_set_fails_without_owner if {
	"owner-set" in ids(resolved(json.remove(service, [["spec", "owner"]])))
}

test_owner_set_fails_with_empty_owner if {
	"owner-set" in ids(resolved(object.union(service, {"spec": {"owner": ""}})))
}

test_owner_set_passes_for_kinds_without_owner if {
	not "owner-set" in ids(resolved(team))
}

test_owner_resolvable_fails_when_owner_is_null if {
	"owner-resolvable" in ids({"entity": service, "owner": null, "system": checkout})
}

test_owner_resolvable_fails_when_owner_is_absent if {
	"owner-resolvable" in ids({"entity": service, "system": checkout})
}

test_owner_resolvable_passes_when_owner_resolves if {
	not "owner-resolvable" in ids(resolved(service))
}

test_owner_resolvable_not_reported_when_owner_is_unset if {
	result := ids({"entity": json.remove(service, [["spec", "owner"]]), "owner": null, "system": checkout})
	"owner-set" in result
	not "owner-resolvable" in result
}

test_lifecycle_valid_fails_for_unknown_value if {
	doc := resolved(object.union(service, {"spec": {"lifecycle": "prod"}}))
	found := catalog.violations with input as doc
	some v in found
	v.id == "lifecycle-valid"
	contains(v.message, "prod is not one of")
}

test_lifecycle_valid_fails_when_missing if {
	doc := resolved(json.remove(service, [["spec", "lifecycle"]]))
	found := catalog.violations with input as doc
	some v in found
	v.id == "lifecycle-valid"
	v.message == "spec.lifecycle is not set"
}

test_lifecycle_valid_passes_for_each_valid_value if {
	every lifecycle in {"experimental", "production", "deprecated"} {
		not "lifecycle-valid" in ids(resolved(object.union(service, {"spec": {"lifecycle": lifecycle}})))
	}
}

test_system_set_fails_without_system if {
	"system-set" in ids({"entity": json.remove(service, [["spec", "system"]]), "owner": team, "system": null})
}

test_system_set_passes_for_a_system_itself if {
	not "system-set" in ids({"entity": checkout, "owner": team, "system": null})
}

test_system_resolvable_fails_when_system_is_null if {
	"system-resolvable" in ids({"entity": service, "owner": team, "system": null})
}

test_system_resolvable_passes_when_system_resolves if {
	not "system-resolvable" in ids(resolved(service))
}

test_kubernetes_annotation_fails_for_service_without_it if {
	entity := json.remove(service, [["metadata", "annotations", "backstage.io/kubernetes-id"]])
	"kubernetes-annotation" in ids(resolved(entity))
}

test_kubernetes_annotation_passes_with_label_selector if {
	entity := object.union(
		json.remove(service, [["metadata", "annotations", "backstage.io/kubernetes-id"]]),
		{"metadata": {"annotations": {"backstage.io/kubernetes-label-selector": "app=payments"}}},
	)
	not "kubernetes-annotation" in ids(resolved(entity))
}

test_kubernetes_annotation_passes_for_a_service_that_runs_elsewhere if {
	entity := object.union(
		json.remove(service, [["metadata", "annotations", "backstage.io/kubernetes-id"]]),
		{"metadata": {"annotations": {"paved.dev/runtime": "edge"}}},
	)
	not "kubernetes-annotation" in ids(resolved(entity))
}

test_kubernetes_annotation_fails_for_a_service_declared_on_kubernetes if {
	entity := object.union(
		json.remove(service, [["metadata", "annotations", "backstage.io/kubernetes-id"]]),
		{"metadata": {"annotations": {"paved.dev/runtime": "kubernetes"}}},
	)
	"kubernetes-annotation" in ids(resolved(entity))
}

test_kubernetes_annotation_passes_for_non_service_components if {
	entity := object.union(
		json.remove(service, [["metadata", "annotations", "backstage.io/kubernetes-id"]]),
		{"spec": {"type": "library"}},
	)
	not "kubernetes-annotation" in ids(resolved(entity))
}

test_description_present_fails_without_description if {
	"description-present" in ids(resolved(json.remove(service, [["metadata", "description"]])))
}

test_description_present_fails_for_blank_description if {
	"description-present" in ids(resolved(object.union(service, {"metadata": {"description": "  "}})))
}

test_description_present_passes_with_description if {
	not "description-present" in ids(resolved(service))
}

test_techdocs_for_production_fails_without_techdocs_ref if {
	entity := json.remove(service, [["metadata", "annotations", "backstage.io/techdocs-ref"]])
	"techdocs-for-production" in ids(resolved(entity))
}

test_techdocs_for_production_passes_for_experimental_components if {
	entity := object.union(
		json.remove(service, [["metadata", "annotations", "backstage.io/techdocs-ref"]]),
		{"spec": {"lifecycle": "experimental"}},
	)
	not "techdocs-for-production" in ids(resolved(entity))
}

# Every case above and the test fixtures, as one batch.
batch_docs := object.union(
	{name: case.doc | some name, case in invalid_cases},
	{
		"compliant": resolved(service),
		"owner unresolved": {"entity": service, "owner": null, "system": checkout},
		"no system": {"entity": json.remove(service, [["spec", "system"]]), "owner": team, "system": null},
		"group": resolved(team),
		"system": {"entity": checkout, "owner": team, "system": null},
		"unknown lifecycle": resolved(object.union(service, {"spec": {"lifecycle": "prod"}})),
		"not an object": 42,
	},
)

batch_answer := answer if {
	answer := catalog.batch with input as {"items": batch_docs}
}

# What the single-item entry point answers for each item, as an array.
single_answers[name] := [v | some v in single] if {
	some name, doc in batch_docs
	single := catalog.violations with input as doc
}

# One test, not a table test: each case of a table test is its own query,
# which would evaluate the whole batch again. opa test --var-values shows
# the names that differ.
test_batch_answers_each_item_as_the_single_entry_point_does if {
	differing := {name | some name, _ in batch_docs; batch_answer[name] != single_answers[name]}
	count(differing) == 0
}

test_batch_has_one_entry_per_item if {
	object.keys(batch_answer) == object.keys(batch_docs)
	batch_answer.compliant == []
	"owner-resolvable" in {v.id | some v in batch_answer["owner unresolved"]}
	not "owner-resolvable" in {v.id | some v in batch_answer.compliant}
}

test_batch_of_no_items_is_empty if {
	answer := catalog.batch with input as {"items": {}}
	answer == {}
}

batch_error_cases := {
	"items missing": {"doc": {}, "message": "input.items is missing, expected an object of items by key"},
	"items null": {"doc": {"items": null}, "message": "input.items is null, expected an object of items by key"},
	"items array": {
		"doc": {"items": [resolved(service)]},
		"message": "input.items is an array, expected an object of items by key",
	},
	"input string": {"doc": "items", "message": "input is a string, expected an object with items"},
}

test_batch_without_items_is_an_invalid_input_finding_not_a_pass[name] if {
	some name, case in batch_error_cases
	answer := catalog.batch with input as case.doc
	object.keys(answer) == {"$batch"}
	[v] := answer["$batch"]
	v.id == "invalid-input"
	v.level == "error"
	v.message == case.message
}
