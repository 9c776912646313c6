# METADATA
# title: Who may call this OPA
# description: >-
#   OPA's own API authorization (opa run --authentication=token
#   --authorization=basic). Probes reach /health without a token; the Paved
#   backend, holding the token from PAVED_OPA_TOKEN, may query decisions and
#   read loaded policies. Nobody may change policies or data over the API:
#   they come from the bundle.
package system.authz

import rego.v1

# METADATA
# scope: document
# title: Allowed
# description: >-
#   OPA asks data.system.authz.allow for every API request; false unless a
#   rule below allows it.
# entrypoint: true
default allow := false

allow if {
	input.method == "GET"
	input.path == ["health"]
}

allow if {
	has_valid_token
	input.method in {"GET", "POST"}
	input.path[0] == "v1"
	input.path[1] == "data"
}

allow if {
	has_valid_token
	input.method == "GET"
	input.path[0] == "v1"
	input.path[1] in {"policies", "status"}
}

# An unset variable must not let an empty identity in.
has_valid_token if {
	token := object.get(opa.runtime().env, "PAVED_OPA_TOKEN", "")
	token != ""
	input.identity == token
}
