package paved.workload_test

import rego.v1

import data.paved.workload

# A container and a Deployment that meet every rule.
container := {
	"name": "app",
	"image": "registry.example.com/payments/api:1.4.2",
	"resources": {
		"requests": {"cpu": "100m", "memory": "128Mi"},
		"limits": {"memory": "256Mi"},
	},
	"livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
	"readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
}

deployment := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "api", "namespace": "payments-prod"},
	"spec": {
		"replicas": 2,
		"template": {"spec": {
			"securityContext": {"runAsNonRoot": true, "runAsUser": 10001},
			"containers": [container],
		}},
	},
}

with_container(c) := object.union(deployment, {"spec": {"template": {"spec": {"containers": [c]}}}})

with_replicas(manifest, replicas) := object.union(manifest, {"spec": {"replicas": replicas}})

# The ids of the violations found for these manifests.
ids(manifests) := {v.id | some v in found} if {
	found := workload.violations with input as {"manifests": manifests}
}

test_compliant_deployment_has_no_violations if {
	count(workload.violations) == 0 with input as {"manifests": [deployment]}
}

test_violation_names_the_resource_and_carries_rule_metadata if {
	manifests := [with_container(object.remove(container, {"readinessProbe"}))]
	found := workload.violations with input as {"manifests": manifests}
	some v in found
	v.id == "readiness-probe"
	v.level == "error"
	v.resource == {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "payments-prod", "name": "api"}
	v.message == "container app has no readinessProbe"
	startswith(v.docsUrl, "https://kubernetes.io/")
}

test_resource_name_without_namespace if {
	manifest := json.remove(with_container(object.remove(container, {"livenessProbe"})), [["metadata", "namespace"]])
	found := workload.violations with input as {"manifests": [manifest]}
	some v in found
	v.resource == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}
}

test_resource_requests_fails_without_memory_request if {
	manifests := [with_container(json.remove(container, [["resources", "requests", "memory"]]))]
	found := workload.violations with input as {"manifests": manifests}
	some v in found
	v.id == "resource-requests"
	v.message == "container app has no resource requests for memory"
}

test_resource_requests_checks_init_containers if {
	init := object.union(object.remove(container, {"resources"}), {"name": "migrate"})
	manifest := object.union(deployment, {"spec": {"template": {"spec": {"initContainers": [init]}}}})
	"resource-requests" in ids([manifest])
}

test_resource_requests_passes_with_cpu_and_memory if {
	not "resource-requests" in ids([deployment])
}

test_resource_limits_fails_without_memory_limit if {
	"resource-limits" in ids([with_container(json.remove(container, [["resources", "limits"]]))])
}

test_resource_limits_passes_without_cpu_limit if {
	not "resource-limits" in ids([deployment])
}

test_run_as_non_root_fails_without_security_context if {
	"run-as-non-root" in ids([json.remove(deployment, [["spec", "template", "spec", "securityContext"]])])
}

test_run_as_non_root_fails_when_container_overrides_pod if {
	c := object.union(container, {"securityContext": {"runAsNonRoot": false}})
	"run-as-non-root" in ids([with_container(c)])
}

test_run_as_non_root_passes_on_the_pod if {
	not "run-as-non-root" in ids([deployment])
}

test_run_as_non_root_passes_on_the_container if {
	manifest := json.remove(
		with_container(object.union(container, {"securityContext": {"runAsNonRoot": true}})),
		[["spec", "template", "spec", "securityContext"]],
	)
	not "run-as-non-root" in ids([manifest])
}

test_image_pinned_fails_for_latest if {
	"image-pinned" in ids([with_container(object.union(container, {"image": "nginx:latest"}))])
}

test_image_pinned_fails_for_untagged if {
	"image-pinned" in ids([with_container(object.union(container, {"image": "nginx"}))])
}

test_image_pinned_fails_for_untagged_image_on_registry_with_port if {
	"image-pinned" in ids([with_container(object.union(container, {"image": "registry.local:5000/team/app"}))])
}

test_image_pinned_passes_for_version_tag_on_registry_with_port if {
	not "image-pinned" in ids([with_container(object.union(container, {"image": "registry.local:5000/team/app:2.0.1"}))])
}

test_image_pinned_passes_for_digest if {
	digest := "nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"
	not "image-pinned" in ids([with_container(object.union(container, {"image": digest}))])
}

test_liveness_probe_fails_without_probe if {
	"liveness-probe" in ids([with_container(object.remove(container, {"livenessProbe"}))])
}

test_liveness_probe_passes_for_jobs if {
	job := {
		"apiVersion": "batch/v1",
		"kind": "Job",
		"metadata": {"name": "migrate", "namespace": "payments-prod"},
		"spec": {"template": {"spec": {
			"securityContext": {"runAsNonRoot": true},
			"containers": [object.remove(container, {"livenessProbe", "readinessProbe"})],
		}}},
	}
	result := ids([job])
	not "liveness-probe" in result
	not "readiness-probe" in result
}

test_readiness_probe_fails_without_probe if {
	"readiness-probe" in ids([with_container(object.remove(container, {"readinessProbe"}))])
}

test_readiness_probe_passes_with_probe if {
	not "readiness-probe" in ids([deployment])
}

test_rules_apply_to_cronjob_pods if {
	pod := {"containers": [object.union(container, {"image": "report:latest"})]}
	cronjob := {
		"apiVersion": "batch/v1",
		"kind": "CronJob",
		"metadata": {"name": "report", "namespace": "payments"},
		"spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": pod}}}},
	}
	result := ids([cronjob])
	"image-pinned" in result
	"run-as-non-root" in result
}

test_production_replicas_fails_for_one_replica_in_prod_namespace if {
	found := workload.violations with input as {"manifests": [with_replicas(deployment, 1)]}
	some v in found
	v.id == "production-replicas"
	v.message == "Deployment runs 1 replica(s) in production, fewer than 2"
}

test_production_replicas_fails_when_replicas_default_to_one if {
	"production-replicas" in ids([json.remove(deployment, [["spec", "replicas"]])])
}

test_production_replicas_fails_for_environment_label if {
	manifest := object.union(
		with_replicas(deployment, 1),
		{"metadata": {"namespace": "payments", "labels": {"environment": "production"}}},
	)
	"production-replicas" in ids([manifest])
}

test_production_replicas_fails_for_production_environment_input if {
	manifest := object.union(with_replicas(deployment, 1), {"metadata": {"namespace": "payments"}})
	found := workload.violations with input as {"manifests": [manifest], "environment": "production"}
	some v in found
	v.id == "production-replicas"
}

test_production_replicas_passes_outside_production if {
	manifest := object.union(with_replicas(deployment, 1), {"metadata": {"namespace": "payments-staging"}})
	not "production-replicas" in ids([manifest])
}

test_production_replicas_passes_with_two_replicas if {
	not "production-replicas" in ids([deployment])
}

test_production_replicas_passes_with_autoscaler_minimum if {
	autoscaler := {
		"apiVersion": "autoscaling/v2",
		"kind": "HorizontalPodAutoscaler",
		"metadata": {"name": "api", "namespace": "payments-prod"},
		"spec": {
			"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
			"minReplicas": 3,
			"maxReplicas": 10,
		},
	}
	not "production-replicas" in ids([with_replicas(deployment, 1), autoscaler])
}

test_production_replicas_fails_with_autoscaler_minimum_of_one if {
	autoscaler := {
		"apiVersion": "autoscaling/v2",
		"kind": "HorizontalPodAutoscaler",
		"metadata": {"name": "api", "namespace": "payments-prod"},
		"spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}, "maxReplicas": 10},
	}
	"production-replicas" in ids([deployment, autoscaler])
}

test_manifests_without_pods_are_ignored if {
	service := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"}, "spec": {"ports": [{"port": 80}]}}
	count(ids([service])) == 0
}

test_objects_made_by_a_controller_are_skipped if {
	pod := {
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {
			"name": "api-7d4b9c-x2x8q",
			"namespace": "payments-prod",
			"ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "api-7d4b9c", "controller": true}],
		},
		"spec": {"containers": [object.union(container, {"image": "nginx:latest"})]},
	}
	count(ids([pod])) == 0
}

test_bare_pods_are_checked if {
	pod := {
		"apiVersion": "v1",
		"kind": "Pod",
		"metadata": {"name": "debug", "namespace": "payments"},
		"spec": {"containers": [object.union(container, {"image": "nginx:latest"})]},
	}
	"image-pinned" in ids([pod])
}

# Every invalid-input case and the test fixtures, as one batch.
batch_docs := object.union(
	{name: case.doc | some name, case in invalid_cases},
	{
		"compliant": {"manifests": [deployment]},
		"no readiness probe": {"manifests": [with_container(object.remove(container, {"readinessProbe"}))]},
		"production input": {"manifests": [with_replicas(deployment, 1)], "environment": "production"},
		"autoscaled": {"manifests": [with_replicas(deployment, 1), autoscaler]},
		"no manifests": {"manifests": []},
		"not an object": "api",
	},
)

batch_answer := answer if {
	answer := workload.batch with input as {"items": batch_docs}
}

# What the single-item entry point answers for each item, as an array.
single_answers[name] := [v | some v in single] if {
	some name, doc in batch_docs
	single := workload.violations with input as doc
}

# One test, not a table test: each case of a table test is its own query,
# which would evaluate the whole batch again. opa test --var-values shows
# the names that differ.
test_batch_answers_each_item_as_the_single_entry_point_does if {
	differing := {name | some name, _ in batch_docs; batch_answer[name] != single_answers[name]}
	count(differing) == 0
}

test_batch_has_one_entry_per_item if {
	object.keys(batch_answer) == object.keys(batch_docs)
	batch_answer.compliant == []
	batch_answer["no manifests"] == []
	"readiness-probe" in {v.id | some v in batch_answer["no readiness probe"]}
	not "readiness-probe" in {v.id | some v in batch_answer.compliant}
}

test_batch_of_no_items_is_empty if {
	answer := workload.batch with input as {"items": {}}
	answer == {}
}

batch_error_cases := {
	"items missing": {
		"doc": {"manifests": [deployment]},
		"message": "input.items is missing, expected an object of items by key",
	},
	"items null": {"doc": {"items": null}, "message": "input.items is null, expected an object of items by key"},
	"items array": {
		"doc": {"items": [{"manifests": [deployment]}]},
		"message": "input.items is an array, expected an object of items by key",
	},
	"input number": {"doc": 1, "message": "input is a number, expected an object with items"},
}

test_batch_without_items_is_an_invalid_input_finding_not_a_pass[name] if {
	some name, case in batch_error_cases
	answer := workload.batch with input as case.doc
	object.keys(answer) == {"$batch"}
	[v] := answer["$batch"]
	v.id == "invalid-input"
	v.level == "error"
	v.message == case.message
	not v.resource
}
