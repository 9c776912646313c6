package paved.${{ values.packageName }}_test

import data.paved.${{ values.packageName }}
{% if values.target == 'kubernetes-workload' %}
deployment(image, resources) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "app"},
	"spec": {"template": {"spec": {"containers": [{"name": "app", "image": image, "resources": resources}]}}},
}

limits := {"limits": {"memory": "128Mi", "cpu": "100m"}}

test_pinned_image_with_limits_is_allowed if {
	count(${{ values.packageName.split('.') | last }}.deny) == 0 with input as deployment("registry.example.com/app:1.2.3", limits)
}

test_latest_tag_is_denied if {
	violations := ${{ values.packageName.split('.') | last }}.deny with input as deployment("registry.example.com/app:latest", limits)
	some violation in violations
	violation.id == "${{ values.name }}-pinned-image"
}

test_untagged_image_with_registry_port_is_denied if {
	violations := ${{ values.packageName.split('.') | last }}.deny with input as deployment("registry.example.com:5000/app", limits)
	some violation in violations
	violation.id == "${{ values.name }}-pinned-image"
}

test_missing_memory_limit_is_denied if {
	violations := ${{ values.packageName.split('.') | last }}.deny with input as deployment("registry.example.com/app:1.2.3", {})
	some violation in violations
	violation.id == "${{ values.name }}-resource-limits"
}

test_services_are_ignored if {
	count(${{ values.packageName.split('.') | last }}.deny) == 0 with input as {"kind": "Service", "metadata": {"name": "app"}}
}
{%- else %}
test_complete_component_is_allowed if {
	count(${{ values.packageName.split('.') | last }}.deny) == 0 with input as {
		"kind": "Component",
		"metadata": {"name": "a", "description": "does things"},
		"spec": {"owner": "group:default/team-a"},
	}
}

test_missing_owner_is_denied if {
	violations := ${{ values.packageName.split('.') | last }}.deny with input as {"kind": "Resource", "metadata": {"name": "db"}, "spec": {}}
	some violation in violations
	violation.id == "${{ values.name }}-owner"
}

test_component_without_description_is_denied if {
	violations := ${{ values.packageName.split('.') | last }}.deny with input as {"kind": "Component", "metadata": {"name": "a"}, "spec": {"owner": "team-a"}}
	some violation in violations
	violation.id == "${{ values.name }}-description"
}
{%- endif %}
