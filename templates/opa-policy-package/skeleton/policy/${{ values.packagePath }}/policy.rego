# METADATA
# title: ${{ values.name }}
# description: ${{ values.description | dump }}
# authors:
#   - ${{ values.owner }}
# custom:
#   severity: ${{ values.severity }}
#   target: ${{ values.target }}
package paved.${{ values.packageName }}
{% if values.target == 'kubernetes-workload' %}
# Input: one Kubernetes object (admission review object or a manifest file).

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "Job"}

containers contains container if {
	input.kind in workload_kinds
	some container in input.spec.template.spec.containers
}

# METADATA
# title: Images must be pinned
# description: A tag other than latest (or a digest) makes rollouts reproducible.
# custom:
#   id: ${{ values.name }}-pinned-image
deny contains violation if {
	some container in containers
	not pinned(container.image)
	violation := {
		"id": "${{ values.name }}-pinned-image",
		"severity": "${{ values.severity }}",
		"message": sprintf("container %s uses unpinned image %s", [container.name, container.image]),
	}
}

# METADATA
# title: Containers must set resource limits
# custom:
#   id: ${{ values.name }}-resource-limits
deny contains violation if {
	some container in containers
	not container.resources.limits.memory
	violation := {
		"id": "${{ values.name }}-resource-limits",
		"severity": "${{ values.severity }}",
		"message": sprintf("container %s has no memory limit", [container.name]),
	}
}

pinned(image) if contains(image, "@sha256:")

pinned(image) if {
	not contains(image, "@")
	parts := split(image, ":")
	count(parts) > 1
	tag := parts[count(parts) - 1]
	not contains(tag, "/")
	tag != "latest"
}
{%- else %}
# Input: one catalog entity (catalog-info.yaml document).

# METADATA
# title: Entities must have an owner
# custom:
#   id: ${{ values.name }}-owner
deny contains violation if {
	not input.spec.owner
	violation := {
		"id": "${{ values.name }}-owner",
		"severity": "${{ values.severity }}",
		"message": sprintf("%s %s has no spec.owner", [input.kind, input.metadata.name]),
	}
}

# METADATA
# title: Components must have a description
# custom:
#   id: ${{ values.name }}-description
deny contains violation if {
	input.kind == "Component"
	not input.metadata.description
	violation := {
		"id": "${{ values.name }}-description",
		"severity": "${{ values.severity }}",
		"message": sprintf("Component %s has no description", [input.metadata.name]),
	}
}
{%- endif %}
