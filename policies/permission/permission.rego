# METADATA
# title: Paved permission decisions
# description: >-
#   Backstage permission decisions for Paved's OPA permission policy
#   (permission.opa.enabled). Query data.paved.permission.decision with input
#   {"permission": {"name", "type", "attributes", "resourceType"?},
#   "user": {"entityRef", "ownershipEntityRefs"} or null}. The result is
#   "allow" or "deny". When no rule applies the decision is undefined and the
#   portal's fallback (the Paved policy by default) decides, including the
#   ownership-scoped permissions that need conditions.
package paved.permission

import rego.v1

# Members of these groups may do everything.
admin_groups := {"group:default/platform-team"}

# Reads that can expose secrets: left to the fallback, which allows them to
# the entity's owners only.
owner_only_reads := {"kubernetes-status.logs.read"}

user := object.get(input, "user", null)

action := object.get(input.permission, ["attributes", "action"], "")

is_admin if {
	some ref in user.ownershipEntityRefs
	lower(ref) in admin_groups
}

# METADATA
# title: Admins may do everything
# description: Members of an admin group are allowed every permission.
allow if is_admin

# METADATA
# title: Signed-in users may read
# description: Any signed-in user may read, except reads that can expose secrets.
allow if {
	user != null
	action == "read"
	not input.permission.name in owner_only_reads
}

# METADATA
# title: Requests without a user are denied
# description: Service calls without a user on whose behalf they act get nothing from this policy.
deny if user == null

# METADATA
# title: Only admins delete shared things
# description: >-
#   Deleting something that belongs to no single entity (a basic permission,
#   such as a catalog location) is for admins. Deleting one's own entities is
#   a resource permission, left to the fallback's ownership condition.
deny if {
	not is_admin
	input.permission.type == "basic"
	action == "delete"
}

# METADATA
# scope: document
# title: The decision
# entrypoint: true
# description: >-
#   "deny" when any deny rule holds, else "allow" when an allow rule holds,
#   else undefined: the fallback decides.
decision := "deny" if deny

decision := "allow" if {
	allow
	not deny
}
