/**
 * A small Rego module annotated the way Paved's policies are: package and
 * document METADATA, entry points, rules with ids, levels, remediation and
 * docs links, a batch entry point and an `else` chain. For tests of code
 * that reads Rego (parseRegoModule, policy-files' checks).
 */
export const exampleRegoPolicy = `# METADATA
# title: Example rules
# description: For the checks' own tests.
package example

import rego.v1

# METADATA
# scope: document
# title: Violations
# description: The entry point.
# entrypoint: true

# METADATA
# title: Name is set
# description: Every object has a name.
# custom:
#   id: name-set
#   level: error
#   remediation: Set name.
#   docsUrl: https://example.com/docs#name
violations contains v if {
	not input.name
	v := {"id": "name-set", "level": "error", "message": "no name"}
}

# METADATA
# title: Input is well-formed
# description: Fail closed.
# custom:
#   id: invalid-input
#   level: error
#   remediation: Fix the field.
#   docsUrl: https://example.com/docs#input
violations contains v if {
	not is_object(input)
	v := {"id": "invalid-input", "level": "error", "message": "input is not an object"}
}

# METADATA
# scope: document
# title: Batch
# description: Many inputs.
# entrypoint: true
batch := {key: [v | some v in violations] with input as item | some key, item in input.items}

helper(x) := y if {
	y := x
} else := ""
`;
