# METADATA
# title: Paved catalog rules
# description: >-
#   What every Backstage catalog entity should say about itself. Query
#   data.paved.catalog.violations with input {"entity", "owner", "system"},
#   where owner and system are the resolved entities or null; or
#   data.paved.catalog.batch with {"items": {<key>: <that input>, ...}}.
package paved.catalog

import rego.v1

# Kinds whose spec.owner is required by the Backstage descriptor format.
owned_kinds := {"Component", "API", "Resource", "System", "Domain"}

# Kinds that belong to a System through spec.system.
system_member_kinds := {"Component", "API", "Resource"}

valid_lifecycles := {"experimental", "production", "deprecated"}

kubernetes_annotations := {"backstage.io/kubernetes-id", "backstage.io/kubernetes-label-selector"}

techdocs_annotation := "backstage.io/techdocs-ref"

# Where a service runs, when not on Kubernetes (for example "edge" for a CDN
# worker): the portal then looks for no workloads.
runtime_annotation := "paved.dev/runtime"

# The parts of the input the rules read, each defined only when well-formed.
entity := input.entity if is_object(input.entity)

kind := entity.kind if is_string(entity.kind)

metadata := entity.metadata if is_object(entity.metadata)

spec := value if {
	value := object.get(entity, "spec", {})
	is_object(value)
}

annotations := value if {
	value := object.get(metadata, "annotations", {})
	is_object(value)
}

# The fields the rules read: a string, "" when absent; undefined when not a
# string (invalid-input reports it). Rules, not functions, so a batch looks
# each up once per entity.
owner := string_at(spec, "owner")

system := string_at(spec, "system")

lifecycle := string_at(spec, "lifecycle")

component_type := string_at(spec, "type")

description := string_at(metadata, "description")

kubernetes_id := string_at(annotations, "backstage.io/kubernetes-id")

kubernetes_label_selector := string_at(annotations, "backstage.io/kubernetes-label-selector")

techdocs_ref := string_at(annotations, techdocs_annotation)

runtime := string_at(annotations, runtime_annotation)

string_at(doc, key) := value if {
	value := object.get(doc, key, "")
	is_string(value)
}

# The resolved owner or system is absent: null or not in the input.
owner_unresolved if object.get(input, "owner", null) == null

system_unresolved if object.get(input, "system", null) == null

# METADATA
# scope: document
# title: Catalog violations
# description: >-
#   The findings for one entity: a set of {id, level, message, remediation,
#   docsUrl?}, empty when every rule passes.
# entrypoint: true

# METADATA
# title: Owner is set
# description: Components, APIs, Resources, Systems and Domains name the team that answers for them.
# custom:
#   id: owner-set
#   level: error
#   remediation: Set spec.owner to a Group reference, for example group:default/payments-team.
#   docsUrl: https://backstage.io/docs/features/software-catalog/descriptor-format#specowner-required
violations contains v if {
	kind in owned_kinds
	owner == ""
	v := finding(rego.metadata.rule(), "spec.owner is not set")
}

# METADATA
# title: Owner exists in the catalog
# description: >-
#   spec.owner refers to a Group or User the catalog knows, so ownership
#   queries and notifications reach someone.
# custom:
#   id: owner-resolvable
#   level: error
#   remediation: Fix the reference in spec.owner, or register the Group (for example in org.yaml).
#   docsUrl: https://backstage.io/docs/features/software-catalog/references
violations contains v if {
	kind in owned_kinds
	owner != ""
	owner_unresolved
	v := finding(rego.metadata.rule(), sprintf("spec.owner %s does not match any entity in the catalog", [owner]))
}

# METADATA
# title: Lifecycle is valid
# description: Components and APIs declare a lifecycle of experimental, production or deprecated.
# custom:
#   id: lifecycle-valid
#   level: error
#   remediation: Set spec.lifecycle to experimental, production or deprecated.
#   docsUrl: https://backstage.io/docs/features/software-catalog/descriptor-format#speclifecycle-required
violations contains v if {
	kind in {"Component", "API"}
	is_string(lifecycle)
	not lifecycle in valid_lifecycles
	v := finding(rego.metadata.rule(), lifecycle_message(lifecycle))
}

# METADATA
# title: System is set
# description: Components, APIs and Resources belong to a System, so the catalog shows what they are part of.
# custom:
#   id: system-set
#   level: warning
#   remediation: Set spec.system to the System this entity is part of, for example system:default/checkout.
#   docsUrl: https://backstage.io/docs/features/software-catalog/system-model
violations contains v if {
	kind in system_member_kinds
	system == ""
	v := finding(rego.metadata.rule(), "spec.system is not set")
}

# METADATA
# title: System exists in the catalog
# description: spec.system refers to a System the catalog knows.
# custom:
#   id: system-resolvable
#   level: error
#   remediation: Fix the reference in spec.system, or register the System.
#   docsUrl: https://backstage.io/docs/features/software-catalog/references
violations contains v if {
	kind in system_member_kinds
	system != ""
	system_unresolved
	v := finding(rego.metadata.rule(), sprintf("spec.system %s does not match any entity in the catalog", [system]))
}

# METADATA
# title: Services are linked to Kubernetes
# description: >-
#   A Component of type service carries backstage.io/kubernetes-id or
#   backstage.io/kubernetes-label-selector, so the portal finds its workloads,
#   unless paved.dev/runtime says it runs elsewhere (for example edge).
# custom:
#   id: kubernetes-annotation
#   level: warning
#   remediation: >-
#     Add the annotation backstage.io/kubernetes-id with the value of the
#     backstage.io/kubernetes-id label on the service's Kubernetes objects, or,
#     for a service that does not run on Kubernetes, paved.dev/runtime naming
#     where it runs (for example edge).
#   docsUrl: >-
#     https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity
violations contains v if {
	kind == "Component"
	component_type == "service"
	runtime in {"", "kubernetes"}
	kubernetes_id == ""
	kubernetes_label_selector == ""
	message := "service has neither backstage.io/kubernetes-id nor backstage.io/kubernetes-label-selector"
	v := finding(rego.metadata.rule(), message)
}

# METADATA
# title: Description is present
# description: The entity says in metadata.description what it is, for search and for the people who find it.
# custom:
#   id: description-present
#   level: warning
#   remediation: Add metadata.description with one or two sentences on what the entity does.
#   docsUrl: https://backstage.io/docs/features/software-catalog/descriptor-format#description-optional
violations contains v if {
	kind in owned_kinds
	trim_space(description) == ""
	v := finding(rego.metadata.rule(), "metadata.description is missing or empty")
}

# METADATA
# title: Production components have TechDocs
# description: A Component in production publishes documentation through the backstage.io/techdocs-ref annotation.
# custom:
#   id: techdocs-for-production
#   level: info
#   remediation: Add a docs/ folder with mkdocs.yml and the annotation backstage.io/techdocs-ref with value dir:.
#   docsUrl: https://backstage.io/docs/features/techdocs/creating-and-publishing
violations contains v if {
	kind == "Component"
	lifecycle == "production"
	techdocs_ref == ""
	v := finding(rego.metadata.rule(), "production component has no backstage.io/techdocs-ref annotation")
}

# METADATA
# title: Input is well-formed
# description: >-
#   Every field the catalog rules read has the type the Backstage descriptor
#   format gives it, and the input has the shape of the entry point's
#   contract. A field that is missing, null or of another type is reported
#   here instead of letting the rules that read it pass.
# custom:
#   id: invalid-input
#   level: error
#   remediation: >-
#     Fix the field the message names: in the entity's catalog-info.yaml, or,
#     for a field of input (input.entity, input.owner, input.system, input.items),
#     in the caller that builds the OPA input.
#   docsUrl: https://backstage.io/docs/features/software-catalog/descriptor-format
violations contains v if {
	some message in input_problems
	v := finding(rego.metadata.rule(), message)
}

# The shape checks behind invalid-input are in input.rego.

# METADATA
# scope: document
# title: Catalog violations of many entities
# description: >-
#   input {"items": {<key>: {"entity", "owner", "system"}, ...}} gives
#   {<key>: [violation, ...]}: per key, what violations gives for that item
#   alone, as an array ([] when none). When input.items is missing or not an
#   object, the answer is {"$batch": [<invalid-input violation>]}, never an
#   empty (clean) object.
# entrypoint: true
batch := {key: item_violations(item) | some key, item in input.items} if items_is_object

batch := {batch_error_key: violations} if {
	not items_is_object

	# The invalid-input rule reports the message (its METADATA is the one
	# place its level and remediation are written); no other rule fires on
	# an empty item.
	# regal ignore:with-outside-test-context
	violations := item_violations({}) with data.paved.catalog.input_problems as {items_problem}
}

batch_error_key := "$batch"

# The violations of one item, as the single-item entry point finds them.
item_violations(item) := found if {
	# Each item is the input of the rules in turn: the rules stay written for
	# one entity, and 10,000 items take well under the 5 s budget (README).
	# regal ignore:with-outside-test-context
	found := [v | some v in violations] with input as item
}

lifecycle_message("") := "spec.lifecycle is not set"

lifecycle_message(lifecycle) := sprintf(
	"spec.lifecycle %s is not one of experimental, production, deprecated",
	[lifecycle],
) if {
	lifecycle != ""
}

# A violation of the rule being evaluated. Its id, level, remediation and
# docsUrl are read from the rule's METADATA, so they are written once.
finding(rule, message) := object.union(
	{
		"id": rule.custom.id,
		"level": rule.custom.level,
		"message": message,
		"remediation": rule.custom.remediation,
	},
	object.filter(rule.custom, {"docsUrl"}),
)
