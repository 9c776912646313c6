package paved.permission_test

import rego.v1

import data.paved.permission

developer := {
	"entityRef": "user:default/carol",
	"ownershipEntityRefs": ["user:default/carol", "group:default/team-commerce"],
}

admin := {
	"entityRef": "user:default/alice",
	"ownershipEntityRefs": ["user:default/alice", "group:default/Platform-Team"],
}

entity_read := {
	"name": "catalog.entity.read",
	"type": "resource",
	"attributes": {"action": "read"},
	"resourceType": "catalog-entity",
}

entity_delete := {
	"name": "catalog.entity.delete",
	"type": "resource",
	"attributes": {"action": "delete"},
	"resourceType": "catalog-entity",
}

location_delete := {"name": "catalog.location.delete", "type": "basic", "attributes": {"action": "delete"}}

logs_read := {
	"name": "kubernetes-status.logs.read",
	"type": "resource",
	"attributes": {"action": "read"},
	"resourceType": "catalog-entity",
}

template_management := {"name": "scaffolder.template.management", "type": "basic", "attributes": {}}

test_signed_in_users_read if {
	permission.allow with input as {"permission": entity_read, "user": developer}
	permission.decision == "allow" with input as {"permission": entity_read, "user": developer}
}

test_secret_reads_are_left_to_the_fallback if {
	not permission.allow with input as {"permission": logs_read, "user": developer}
	not permission.deny with input as {"permission": logs_read, "user": developer}
	not permission.decision with input as {"permission": logs_read, "user": developer}
}

test_requests_without_a_user_are_denied if {
	permission.deny with input as {"permission": entity_read, "user": null}
	permission.decision == "deny" with input as {"permission": entity_read}
}

test_developers_may_not_delete_locations if {
	permission.deny with input as {"permission": location_delete, "user": developer}
	permission.decision == "deny" with input as {"permission": location_delete, "user": developer}
}

test_admins_may_do_everything if {
	permission.allow with input as {"permission": location_delete, "user": admin}
	not permission.deny with input as {"permission": location_delete, "user": admin}
	permission.decision == "allow" with input as {"permission": template_management, "user": admin}
}

test_owner_scoped_deletes_are_left_to_the_fallback if {
	not permission.decision with input as {"permission": entity_delete, "user": developer}
}

test_unknown_permissions_without_action_are_left_to_the_fallback if {
	not permission.decision with input as {"permission": template_management, "user": developer}
}
