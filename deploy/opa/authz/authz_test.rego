package system.authz_test

import rego.v1

import data.system.authz

runtime := {"env": {"PAVED_OPA_TOKEN": "s3cret"}}

query := {"method": "POST", "path": ["v1", "data", "paved", "catalog", "violations"], "identity": "s3cret"}

test_health_is_open_for_probes if {
	authz.allow with input as {"method": "GET", "path": ["health"]} with opa.runtime as runtime
}

test_query_with_the_token_is_allowed if {
	authz.allow with input as query with opa.runtime as runtime
}

test_reading_policies_with_the_token_is_allowed if {
	request := {"method": "GET", "path": ["v1", "policies"], "identity": "s3cret"}
	authz.allow with input as request with opa.runtime as runtime
}

test_query_without_a_token_is_denied if {
	not authz.allow with input as object.remove(query, {"identity"}) with opa.runtime as runtime
}

test_query_with_a_wrong_token_is_denied if {
	not authz.allow with input as object.union(query, {"identity": "guess"}) with opa.runtime as runtime
}

test_empty_token_is_denied_when_variable_is_unset if {
	not authz.allow with input as object.union(query, {"identity": ""}) with opa.runtime as {"env": {}}
}

test_writing_policies_is_denied_even_with_the_token if {
	request := {"method": "PUT", "path": ["v1", "policies", "paved"], "identity": "s3cret"}
	not authz.allow with input as request with opa.runtime as runtime
}

test_writing_data_is_denied_even_with_the_token if {
	request := {"method": "PUT", "path": ["v1", "data", "paved"], "identity": "s3cret"}
	not authz.allow with input as request with opa.runtime as runtime
}
