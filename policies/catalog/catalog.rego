# METADATA
# title: Paved catalog rules
# description: >-
#   What every Backstage catalog entity should say about itself. Query
#   data.paved.catalog.violations with input {"entity", "owner", "system"},
#   where owner and system are the resolved entities or null.
package paved.catalog

import rego.v1

entity := input.entity

spec := object.get(entity, "spec", {})

annotations := object.get(entity.metadata, "annotations", {})

# Kinds whose spec.owner is required by the Backstage descriptor format.
owned_kinds := {"Component", "API", "Resource", "System", "Domain"}

# Kinds that belong to a System through spec.system.
system_member_kinds := {"Component", "API", "Resource"}

valid_lifecycles := {"experimental", "production", "deprecated"}

kubernetes_annotations := {"backstage.io/kubernetes-id", "backstage.io/kubernetes-label-selector"}

# METADATA
# title: Owner is set
# description: Components, APIs, Resources, Systems and Domains name the team that answers for them.
# custom:
#   id: owner-set
#   level: error
#   remediation: Set spec.owner to a Group reference, for example group:default/payments-team.
#   docsUrl: https://backstage.io/docs/features/software-catalog/descriptor-format#specowner-required
violations contains v if {
	entity.kind in owned_kinds
	object.get(spec, "owner", "") == ""
	v := finding(rego.metadata.rule(), "spec.owner is not set")
}

# METADATA
# title: Owner exists in the catalog
# description: spec.owner refers to a Group or User the catalog knows, so ownership queries and notifications reach someone.
# custom:
#   id: owner-resolvable
#   level: error
#   remediation: Fix the reference in spec.owner, or register the Group (for example in org.yaml).
#   docsUrl: https://backstage.io/docs/features/software-catalog/references
violations contains v if {
	entity.kind in owned_kinds
	owner := object.get(spec, "owner", "")
	owner != ""
	object.get(input, "owner", null) == null
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
	entity.kind in {"Component", "API"}
	lifecycle := object.get(spec, "lifecycle", "")
	not lifecycle in valid_lifecycles
	v := finding(rego.metadata.rule(), lifecycle_message(lifecycle))
}

lifecycle_message(lifecycle) := "spec.lifecycle is not set" if lifecycle == ""

lifecycle_message(lifecycle) := sprintf("spec.lifecycle %s is not one of experimental, production, deprecated", [lifecycle]) if {
	lifecycle != ""
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
	entity.kind in system_member_kinds
	object.get(spec, "system", "") == ""
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
	entity.kind in system_member_kinds
	system := object.get(spec, "system", "")
	system != ""
	object.get(input, "system", null) == null
	v := finding(rego.metadata.rule(), sprintf("spec.system %s does not match any entity in the catalog", [system]))
}

# METADATA
# title: Services are linked to Kubernetes
# description: >-
#   A Component of type service carries backstage.io/kubernetes-id or
#   backstage.io/kubernetes-label-selector, so the portal finds its workloads.
# custom:
#   id: kubernetes-annotation
#   level: warning
#   remediation: >-
#     Add the annotation backstage.io/kubernetes-id with the value of the
#     backstage.io/kubernetes-id label on the service's Kubernetes objects.
#   docsUrl: https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity
violations contains v if {
	entity.kind == "Component"
	spec.type == "service"
	not has_kubernetes_annotation
	v := finding(rego.metadata.rule(), "service has neither backstage.io/kubernetes-id nor backstage.io/kubernetes-label-selector")
}

has_kubernetes_annotation if {
	some name in kubernetes_annotations
	object.get(annotations, name, "") != ""
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
	entity.kind in owned_kinds
	trim_space(object.get(entity.metadata, "description", "")) == ""
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
	entity.kind == "Component"
	spec.lifecycle == "production"
	object.get(annotations, "backstage.io/techdocs-ref", "") == ""
	v := finding(rego.metadata.rule(), "production component has no backstage.io/techdocs-ref annotation")
}

# A violation of the rule being evaluated. Its id, level, remediation and
# docsUrl are read from the rule's METADATA, so they are written once.
finding(metadata, message) := object.union(
	{
		"id": metadata.custom.id,
		"level": metadata.custom.level,
		"message": message,
		"remediation": metadata.custom.remediation,
	},
	object.filter(metadata.custom, {"docsUrl"}),
)
