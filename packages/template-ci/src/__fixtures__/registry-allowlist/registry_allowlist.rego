# A stricter, TEST-ONLY workload rule: images only from an allow-listed
# registry, which the golden skeletons do not use. Template CI builds it into
# a second OPA bundle next to the repository's policies/ (same package, so
# its findings join paved.workload.violations) to see policy:check fail a
# task on a real OPA error-level finding. Not part of Paved's policies. It
# uses nothing of workload.rego but the finding's shape, so changes to that
# module's helpers do not break it.
package paved.workload

import rego.v1

# METADATA
# title: Images come from the allow-listed registry
# description: Test fixture of template CI.
# custom:
#   id: registry-allowlist
#   level: error
#   remediation: Push the image to registry.paved.internal/.
violations contains v if {
	some manifest in input.manifests
	manifest.kind == "Deployment"
	some container in manifest.spec.template.spec.containers
	not startswith(container.image, "registry.paved.internal/")
	rule := rego.metadata.rule()
	v := {
		"id": rule.custom.id,
		"level": rule.custom.level,
		"message": sprintf("container %s uses image %s, not from registry.paved.internal/", [container.name, container.image]),
		"remediation": rule.custom.remediation,
		"resource": {"apiVersion": manifest.apiVersion, "kind": manifest.kind, "name": manifest.metadata.name},
	}
}
