package paved.workload_test

import rego.v1

# The invalid-input cases of pod specs, containers, replicas and autoscalers
# (input_test.rego runs them).

pod_cases := {
	"spec missing": {
		"doc": {"manifests": [object.remove(deployment, {"spec"})]},
		"message": "spec is missing, expected an object",
		"resource": "api",
	},
	"spec null": {
		"doc": {"manifests": [object.union(deployment, {"spec": null})]},
		"message": "spec is null, expected an object",
		"resource": "api",
	},
	"spec array": {
		"doc": {"manifests": [object.union(deployment, {"spec": [deployment.spec]})]},
		"message": "spec is an array, expected an object",
		"resource": "api",
	},
	"spec.template missing": {
		"doc": {"manifests": [json.remove(deployment, [["spec", "template"]])]},
		"message": "spec.template is missing, expected an object",
		"resource": "api",
	},
	"spec.template.spec null": {
		"doc": {"manifests": [json.patch(deployment, [{"op": "replace", "path": "/spec/template/spec", "value": null}])]},
		"message": "spec.template.spec is null, expected an object",
		"resource": "api",
	},
	"pod spec of a Pod missing": {
		"doc": {"manifests": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug"}}]},
		"message": "spec is missing, expected an object",
		"resource": "debug",
	},
	"jobTemplate of a CronJob string": {
		"doc": {"manifests": [{
			"apiVersion": "batch/v1",
			"kind": "CronJob",
			"metadata": {"name": "report"},
			"spec": {"jobTemplate": "report"},
		}]},
		"message": "spec.jobTemplate is a string, expected an object",
		"resource": "report",
	},
	"containers missing": {
		"doc": {"manifests": [json.remove(deployment, [["spec", "template", "spec", "containers"]])]},
		"message": "spec.template.spec.containers is missing, expected an array",
		"resource": "api",
	},
	"containers null": {
		"doc": {"manifests": [pod_patch("/containers", null)]},
		"message": "spec.template.spec.containers is null, expected an array",
		"resource": "api",
	},
	"containers object": {
		"doc": {"manifests": [pod_patch("/containers", container)]},
		"message": "spec.template.spec.containers is an object, expected an array",
		"resource": "api",
	},
	"containers empty": {
		"doc": {"manifests": [pod_patch("/containers", [])]},
		"message": "spec.template.spec.containers is an empty array, expected at least one container",
		"resource": "api",
	},
	"initContainers null": {
		"doc": {"manifests": [pod_patch("/initContainers", null)]},
		"message": "spec.template.spec.initContainers is null, expected an array",
		"resource": "api",
	},
	"initContainers string": {
		"doc": {"manifests": [pod_patch("/initContainers", "migrate")]},
		"message": "spec.template.spec.initContainers is a string, expected an array",
		"resource": "api",
	},
	"pod securityContext null": {
		"doc": {"manifests": [pod_patch("/securityContext", null)]},
		"message": "spec.template.spec.securityContext is null, expected an object",
		"resource": "api",
	},
	"pod securityContext array": {
		"doc": {"manifests": [pod_patch("/securityContext", [])]},
		"message": "spec.template.spec.securityContext is an array, expected an object",
		"resource": "api",
	},
	"pod runAsNonRoot null": {
		"doc": {"manifests": [pod_patch("/securityContext/runAsNonRoot", null)]},
		"message": "spec.template.spec.securityContext.runAsNonRoot is null, expected a boolean",
		"resource": "api",
	},
	"pod runAsNonRoot string": {
		"doc": {"manifests": [pod_patch("/securityContext/runAsNonRoot", "true")]},
		"message": "spec.template.spec.securityContext.runAsNonRoot is a string, expected a boolean",
		"resource": "api",
	},
}

container_cases := {
	"container string": {
		"doc": {"manifests": [pod_patch("/containers", ["app"])]},
		"message": "spec.template.spec.containers[0] is a string, expected an object",
		"resource": "api",
	},
	"init container null": {
		"doc": {"manifests": [pod_patch("/initContainers", [null])]},
		"message": "spec.template.spec.initContainers[0] is null, expected an object",
		"resource": "api",
	},
	"container name missing": {
		"doc": {"manifests": [with_container(object.remove(container, {"name"}))]},
		"message": "spec.template.spec.containers[0].name is missing, expected a string",
		"resource": "api",
	},
	"container name null": {
		"doc": {"manifests": [with_container(object.union(container, {"name": null}))]},
		"message": "spec.template.spec.containers[0].name is null, expected a string",
		"resource": "api",
	},
	"container name number": {
		"doc": {"manifests": [with_container(object.union(container, {"name": 0}))]},
		"message": "spec.template.spec.containers[0].name is a number, expected a string",
		"resource": "api",
	},
	"container image missing": {
		"doc": {"manifests": [with_container(object.remove(container, {"image"}))]},
		"message": "spec.template.spec.containers[0].image is missing, expected a string",
		"resource": "api",
	},
	"container image null": {
		"doc": {"manifests": [with_container(object.union(container, {"image": null}))]},
		"message": "spec.template.spec.containers[0].image is null, expected a string",
		"resource": "api",
	},
	"init container image object": {
		"doc": {"manifests": [pod_patch("/initContainers", [object.union(container, {"image": {"name": "nginx"}})])]},
		"message": "spec.template.spec.initContainers[0].image is an object, expected a string",
		"resource": "api",
	},
	"resources null": {
		"doc": {"manifests": [with_container(object.union(container, {"resources": null}))]},
		"message": "spec.template.spec.containers[0].resources is null, expected an object",
		"resource": "api",
	},
	"resources string": {
		"doc": {"manifests": [with_container(object.union(container, {"resources": "small"}))]},
		"message": "spec.template.spec.containers[0].resources is a string, expected an object",
		"resource": "api",
	},
	"resources.requests null": {
		"doc": {"manifests": [with_container(object.union(container, {"resources": {"requests": null}}))]},
		"message": "spec.template.spec.containers[0].resources.requests is null, expected an object",
		"resource": "api",
	},
	"resources.requests array": {
		"doc": {"manifests": [with_container(object.union(container, {"resources": {"requests": ["cpu"]}}))]},
		"message": "spec.template.spec.containers[0].resources.requests is an array, expected an object",
		"resource": "api",
	},
	"resources.limits null": {
		"doc": {"manifests": [with_container(object.union(container, {"resources": {"limits": null}}))]},
		"message": "spec.template.spec.containers[0].resources.limits is null, expected an object",
		"resource": "api",
	},
	"resources.limits number": {
		"doc": {"manifests": [with_container(object.union(container, {"resources": {"limits": 256}}))]},
		"message": "spec.template.spec.containers[0].resources.limits is a number, expected an object",
		"resource": "api",
	},
	"container securityContext null": {
		"doc": {"manifests": [with_container(object.union(container, {"securityContext": null}))]},
		"message": "spec.template.spec.containers[0].securityContext is null, expected an object",
		"resource": "api",
	},
	"container securityContext boolean": {
		"doc": {"manifests": [with_container(object.union(container, {"securityContext": true}))]},
		"message": "spec.template.spec.containers[0].securityContext is a boolean, expected an object",
		"resource": "api",
	},
	"container runAsNonRoot null": {
		"doc": {"manifests": [with_container(object.union(container, {"securityContext": {"runAsNonRoot": null}}))]},
		"message": "spec.template.spec.containers[0].securityContext.runAsNonRoot is null, expected a boolean",
		"resource": "api",
	},
	"container runAsNonRoot string": {
		"doc": {"manifests": [with_container(object.union(container, {"securityContext": {"runAsNonRoot": "false"}}))]},
		"message": "spec.template.spec.containers[0].securityContext.runAsNonRoot is a string, expected a boolean",
		"resource": "api",
	},
	"livenessProbe null": {
		"doc": {"manifests": [with_container(object.union(container, {"livenessProbe": null}))]},
		"message": "spec.template.spec.containers[0].livenessProbe is null, expected an object",
		"resource": "api",
	},
	"livenessProbe string": {
		"doc": {"manifests": [with_container(object.union(container, {"livenessProbe": "/healthz"}))]},
		"message": "spec.template.spec.containers[0].livenessProbe is a string, expected an object",
		"resource": "api",
	},
	"readinessProbe null": {
		"doc": {"manifests": [with_container(object.union(container, {"readinessProbe": null}))]},
		"message": "spec.template.spec.containers[0].readinessProbe is null, expected an object",
		"resource": "api",
	},
	"readinessProbe boolean": {
		"doc": {"manifests": [with_container(object.union(container, {"readinessProbe": true}))]},
		"message": "spec.template.spec.containers[0].readinessProbe is a boolean, expected an object",
		"resource": "api",
	},
}

replica_cases := {
	"replicas null": {
		"doc": {"manifests": [with_replicas(deployment, null)]},
		"message": "spec.replicas is null, expected a number",
		"resource": "api",
	},
	"replicas string": {
		"doc": {"manifests": [with_replicas(deployment, "1")]},
		"message": "spec.replicas is a string, expected a number",
		"resource": "api",
	},
	"labels null": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"labels": null}})]},
		"message": "metadata.labels is null, expected an object",
		"resource": "api",
	},
	"labels string": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"labels": "environment=production"}})]},
		"message": "metadata.labels is a string, expected an object",
		"resource": "api",
	},
	"environment label null": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"labels": {"environment": null}}})]},
		"message": "metadata.labels.environment is null, expected a string",
		"resource": "api",
	},
	"environment label boolean": {
		"doc": {"manifests": [object.union(deployment, {"metadata": {"labels": {"environment": true}}})]},
		"message": "metadata.labels.environment is a boolean, expected a string",
		"resource": "api",
	},
}

autoscaler := {
	"apiVersion": "autoscaling/v2",
	"kind": "HorizontalPodAutoscaler",
	"metadata": {"name": "api-hpa", "namespace": "payments-prod"},
	"spec": {
		"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"},
		"minReplicas": 3,
		"maxReplicas": 10,
	},
}

autoscaler_cases := {
	"autoscaler spec missing": {
		"doc": {"manifests": [deployment, object.remove(autoscaler, {"spec"})]},
		"message": "spec is missing, expected an object",
		"resource": "api-hpa",
	},
	"autoscaler spec null": {
		"doc": {"manifests": [deployment, object.union(autoscaler, {"spec": null})]},
		"message": "spec is null, expected an object",
		"resource": "api-hpa",
	},
	"scaleTargetRef missing": {
		"doc": {"manifests": [deployment, json.remove(autoscaler, [["spec", "scaleTargetRef"]])]},
		"message": "spec.scaleTargetRef is missing, expected an object",
		"resource": "api-hpa",
	},
	"scaleTargetRef string": {
		"doc": {"manifests": [deployment, object.union(autoscaler, {"spec": {"scaleTargetRef": "deployment/api"}})]},
		"message": "spec.scaleTargetRef is a string, expected an object",
		"resource": "api-hpa",
	},
	"scaleTargetRef.kind missing": {
		"doc": {"manifests": [deployment, json.remove(autoscaler, [["spec", "scaleTargetRef", "kind"]])]},
		"message": "spec.scaleTargetRef.kind is missing, expected a string",
		"resource": "api-hpa",
	},
	"scaleTargetRef.kind null": {
		"doc": {"manifests": [deployment, object.union(autoscaler, {"spec": {"scaleTargetRef": {"kind": null}}})]},
		"message": "spec.scaleTargetRef.kind is null, expected a string",
		"resource": "api-hpa",
	},
	"scaleTargetRef.name missing": {
		"doc": {"manifests": [deployment, json.remove(autoscaler, [["spec", "scaleTargetRef", "name"]])]},
		"message": "spec.scaleTargetRef.name is missing, expected a string",
		"resource": "api-hpa",
	},
	"scaleTargetRef.name number": {
		"doc": {"manifests": [deployment, object.union(autoscaler, {"spec": {"scaleTargetRef": {"name": 1}}})]},
		"message": "spec.scaleTargetRef.name is a number, expected a string",
		"resource": "api-hpa",
	},
	"minReplicas null": {
		"doc": {"manifests": [deployment, object.union(autoscaler, {"spec": {"minReplicas": null}})]},
		"message": "spec.minReplicas is null, expected a number",
		"resource": "api-hpa",
	},
	"minReplicas string": {
		"doc": {"manifests": [deployment, object.union(autoscaler, {"spec": {"minReplicas": "3"}})]},
		"message": "spec.minReplicas is a string, expected a number",
		"resource": "api-hpa",
	},
}

# The compliant Deployment with one field of its pod spec set (JSON Patch "add").
pod_patch(path, value) := json.patch(
	deployment,
	[{"op": "add", "path": concat("", ["/spec/template/spec", path]), "value": value}],
)
