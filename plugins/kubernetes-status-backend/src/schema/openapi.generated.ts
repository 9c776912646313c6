// Generated from openapi.yaml by scripts/openapi-to-ts.mjs. Do not edit.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.1.0",
  "info": {
    "title": "kubernetes-status",
    "version": "1",
    "description": "Kubernetes status of catalog entities, served from Paved's watch-backed\ncluster caches. Every route needs a Backstage token; data of simulated\nclusters is marked `simulated: true`.\n",
    "license": {
      "name": "Apache-2.0"
    }
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "components": {
    "parameters": {
      "kind": {
        "name": "kind",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 63
        }
      },
      "namespace": {
        "name": "namespace",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 63
        }
      },
      "name": {
        "name": "name",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 253
        }
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "description": "An error as the Backstage error handler serves it (it also adds `request` and `response`, and in development the error's `stack`).",
        "properties": {
          "error": {
            "type": "object",
            "properties": {
              "name": {
                "type": "string"
              },
              "message": {
                "type": "string"
              }
            },
            "required": [
              "name",
              "message"
            ]
          }
        },
        "required": [
          "error"
        ]
      },
      "HealthState": {
        "type": "string",
        "description": "HealthState in @paved/plugin-kubernetes-status-common.",
        "enum": [
          "ok",
          "degraded",
          "failing",
          "unknown"
        ]
      },
      "ClusterRef": {
        "type": "object",
        "description": "ClusterRef in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "simulated": {
            "type": "boolean",
            "description": "True for Paved's simulated clusters; the UI labels their data as simulated."
          }
        },
        "required": [
          "name",
          "simulated"
        ]
      },
      "ClusterError": {
        "type": "object",
        "description": "ClusterError in @paved/plugin-kubernetes-status-common - why a cluster (or one object type in it) could not be read.",
        "additionalProperties": false,
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "unreachable",
              "unauthorized",
              "forbidden",
              "timeout",
              "not-synced",
              "unknown"
            ]
          },
          "resource": {
            "type": "string",
            "description": "Object type the error is about (for example `pods`); absent for the whole cluster."
          },
          "message": {
            "type": "string"
          },
          "since": {
            "type": "string",
            "description": "When the error was first seen (ISO 8601)."
          }
        },
        "required": [
          "type",
          "message",
          "since"
        ]
      },
      "Freshness": {
        "type": "object",
        "description": "Freshness in @paved/plugin-kubernetes-status-common - how fresh the cached view of a cluster is.",
        "additionalProperties": false,
        "properties": {
          "lastSyncAt": {
            "type": "string",
            "description": "Last time every watched type was in sync (ISO 8601)."
          },
          "stale": {
            "type": "boolean",
            "description": "True when some watched type has been out of sync longer than the stale threshold."
          },
          "staleSince": {
            "type": "string"
          }
        },
        "required": [
          "stale"
        ]
      },
      "ObjectRef": {
        "type": "object",
        "description": "ObjectRef in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "kind": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          }
        },
        "required": [
          "kind",
          "name"
        ]
      },
      "Selector": {
        "type": "object",
        "description": "EntityKubernetesSelector in @paved/plugin-kubernetes-status-common - which objects belong to the entity.",
        "additionalProperties": false,
        "properties": {
          "labelSelector": {
            "type": "string"
          },
          "namespaces": {
            "type": "array",
            "description": "Absent means every namespace.",
            "items": {
              "type": "string"
            }
          },
          "clusters": {
            "type": "array",
            "description": "Absent means every cluster.",
            "items": {
              "type": "string"
            }
          }
        },
        "required": [
          "labelSelector"
        ]
      },
      "ReplicaSetSummary": {
        "type": "object",
        "description": "ReplicaSetSummary in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string"
          },
          "revision": {
            "type": "string"
          },
          "images": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "desired": {
            "type": "integer"
          },
          "ready": {
            "type": "integer"
          }
        },
        "required": [
          "name",
          "images",
          "desired",
          "ready"
        ]
      },
      "RolloutStatus": {
        "type": "object",
        "description": "RolloutStatus in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "state": {
            "type": "string",
            "enum": [
              "complete",
              "progressing",
              "stalled",
              "paused",
              "scaled-down"
            ]
          },
          "message": {
            "type": "string"
          },
          "observed": {
            "type": "boolean",
            "description": "Desired generation applied by the controller?"
          },
          "progressDeadlineExceeded": {
            "type": "boolean"
          },
          "newReplicaSet": {
            "$ref": "#/components/schemas/ReplicaSetSummary"
          },
          "oldReplicaSets": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ReplicaSetSummary"
            }
          }
        },
        "required": [
          "state",
          "observed",
          "progressDeadlineExceeded",
          "oldReplicaSets"
        ]
      },
      "WorkloadStatus": {
        "type": "object",
        "description": "WorkloadStatus in @paved/plugin-kubernetes-status-common - a Deployment, StatefulSet or DaemonSet of the entity.",
        "additionalProperties": false,
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "Deployment",
              "StatefulSet",
              "DaemonSet"
            ]
          },
          "name": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          },
          "images": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "versions": {
            "type": "array",
            "description": "Image tags or digests, in container order.",
            "items": {
              "type": "string"
            }
          },
          "desired": {
            "type": "integer"
          },
          "updated": {
            "type": "integer"
          },
          "ready": {
            "type": "integer"
          },
          "available": {
            "type": "integer"
          },
          "generation": {
            "type": "integer"
          },
          "observedGeneration": {
            "type": "integer"
          },
          "rollout": {
            "$ref": "#/components/schemas/RolloutStatus"
          },
          "createdAt": {
            "type": "string"
          }
        },
        "required": [
          "kind",
          "name",
          "images",
          "versions",
          "desired",
          "updated",
          "ready",
          "available",
          "generation",
          "observedGeneration",
          "rollout"
        ]
      },
      "ContainerStatus": {
        "type": "object",
        "description": "ContainerStatus in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string"
          },
          "image": {
            "type": "string"
          },
          "ready": {
            "type": "boolean"
          },
          "restarts": {
            "type": "integer"
          },
          "state": {
            "type": "string",
            "enum": [
              "running",
              "waiting",
              "terminated",
              "unknown"
            ]
          },
          "waitingReason": {
            "type": "string",
            "description": "For example CrashLoopBackOff, ImagePullBackOff, ContainerCreating."
          },
          "lastTerminationReason": {
            "type": "string",
            "description": "For example OOMKilled, Error, Completed."
          },
          "lastTerminationExitCode": {
            "type": "integer"
          },
          "lastTerminatedAt": {
            "type": "string"
          }
        },
        "required": [
          "name",
          "image",
          "ready",
          "restarts",
          "state"
        ]
      },
      "PodStatus": {
        "type": "object",
        "description": "PodStatus in @paved/plugin-kubernetes-status-common; `owner` is the workload that owns the pod, through its ReplicaSet.",
        "additionalProperties": false,
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "Pod"
            ]
          },
          "name": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          },
          "uid": {
            "type": "string"
          },
          "phase": {
            "type": "string"
          },
          "ready": {
            "type": "boolean"
          },
          "readyContainers": {
            "type": "integer"
          },
          "totalContainers": {
            "type": "integer"
          },
          "restarts": {
            "type": "integer"
          },
          "node": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          },
          "owner": {
            "$ref": "#/components/schemas/ObjectRef"
          },
          "containers": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ContainerStatus"
            }
          }
        },
        "required": [
          "kind",
          "name",
          "phase",
          "ready",
          "readyContainers",
          "totalContainers",
          "restarts",
          "containers"
        ]
      },
      "WarningEvent": {
        "type": "object",
        "description": "WarningEvent in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "reason": {
            "type": "string"
          },
          "message": {
            "type": "string"
          },
          "count": {
            "type": "integer"
          },
          "involvedObject": {
            "$ref": "#/components/schemas/ObjectRef"
          },
          "firstSeen": {
            "type": "string"
          },
          "lastSeen": {
            "type": "string"
          }
        },
        "required": [
          "reason",
          "message",
          "count",
          "involvedObject"
        ]
      },
      "ResourceSummary": {
        "type": "object",
        "description": "ResourceSummary in @paved/plugin-kubernetes-status-common - a Service, Ingress, HPA, Job or CronJob in one line.",
        "additionalProperties": false,
        "properties": {
          "kind": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          },
          "summary": {
            "type": "string"
          }
        },
        "required": [
          "kind",
          "name",
          "summary"
        ]
      },
      "GitOpsStatus": {
        "type": "object",
        "description": "GitOpsStatus in @paved/plugin-kubernetes-status-common - the Argo CD Application or Flux Kustomization/HelmRelease deploying the entity.",
        "additionalProperties": false,
        "properties": {
          "kind": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          },
          "tool": {
            "type": "string",
            "enum": [
              "argocd",
              "flux"
            ]
          },
          "sync": {
            "type": "string"
          },
          "health": {
            "type": "string"
          },
          "targetRevision": {
            "type": "string"
          },
          "liveRevision": {
            "type": "string"
          },
          "lastSyncAt": {
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        },
        "required": [
          "kind",
          "name",
          "tool",
          "sync",
          "health"
        ]
      },
      "Problem": {
        "type": "object",
        "description": "Problem in @paved/plugin-kubernetes-status-common - a detected problem with a plain-language hint.",
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string"
          },
          "severity": {
            "type": "string",
            "enum": [
              "error",
              "warning"
            ]
          },
          "object": {
            "$ref": "#/components/schemas/ObjectRef"
          },
          "message": {
            "type": "string"
          },
          "hint": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "severity",
          "object",
          "message",
          "hint"
        ]
      },
      "ClusterEntityStatus": {
        "type": "object",
        "description": "ClusterEntityStatus in @paved/plugin-kubernetes-status-common - the entity in one cluster.",
        "additionalProperties": false,
        "properties": {
          "cluster": {
            "$ref": "#/components/schemas/ClusterRef"
          },
          "health": {
            "$ref": "#/components/schemas/HealthState"
          },
          "freshness": {
            "$ref": "#/components/schemas/Freshness"
          },
          "errors": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ClusterError"
            }
          },
          "workloads": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/WorkloadStatus"
            }
          },
          "pods": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PodStatus"
            }
          },
          "events": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/WarningEvent"
            }
          },
          "resources": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ResourceSummary"
            }
          },
          "gitops": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/GitOpsStatus"
            }
          },
          "problems": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        },
        "required": [
          "cluster",
          "health",
          "freshness",
          "errors",
          "workloads",
          "pods",
          "events",
          "resources",
          "gitops",
          "problems"
        ]
      },
      "EntityStatus": {
        "type": "object",
        "description": "EntityStatusResponse in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "selector": {
            "$ref": "#/components/schemas/Selector"
          },
          "reason": {
            "type": "string",
            "description": "Why there is no selector (the entity has no Kubernetes annotation)."
          },
          "health": {
            "$ref": "#/components/schemas/HealthState"
          },
          "clusters": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ClusterEntityStatus"
            }
          },
          "drift": {
            "type": "array",
            "description": "Images that differ between clusters for the same workload name.",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "workload": {
                  "type": "string"
                },
                "versionsByCluster": {
                  "type": "object",
                  "description": "Image versions of the workload by cluster name.",
                  "additionalProperties": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                }
              },
              "required": [
                "workload",
                "versionsByCluster"
              ]
            }
          },
          "generatedAt": {
            "type": "string"
          }
        },
        "required": [
          "entityRef",
          "health",
          "clusters",
          "drift",
          "generatedAt"
        ]
      },
      "ClusterDiagnostics": {
        "type": "object",
        "description": "One item of EntityDiagnosticsResponse.clusters in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "cluster": {
            "$ref": "#/components/schemas/ClusterRef"
          },
          "asked": {
            "type": "boolean"
          },
          "skippedReason": {
            "type": "string"
          },
          "countsByType": {
            "type": "object",
            "description": "Objects of the entity by watched type (for example `pods`).",
            "additionalProperties": {
              "type": "integer"
            }
          },
          "matchesOutsideNamespaces": {
            "type": "integer",
            "description": "Objects with the entity's label in any namespace, to spot a wrong namespace annotation."
          },
          "errors": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ClusterError"
            }
          }
        },
        "required": [
          "cluster",
          "asked",
          "countsByType",
          "matchesOutsideNamespaces",
          "errors"
        ]
      },
      "EntityDiagnostics": {
        "type": "object",
        "description": "EntityDiagnosticsResponse in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "selector": {
            "$ref": "#/components/schemas/Selector"
          },
          "reason": {
            "type": "string",
            "description": "Plain-language reason when the entity has no Kubernetes annotation."
          },
          "clusters": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ClusterDiagnostics"
            }
          }
        },
        "required": [
          "entityRef",
          "clusters"
        ]
      },
      "ClusterOverview": {
        "type": "object",
        "description": "ClusterOverview in @paved/plugin-kubernetes-status-common - one cluster in the overview.",
        "additionalProperties": false,
        "properties": {
          "cluster": {
            "$ref": "#/components/schemas/ClusterRef"
          },
          "reachable": {
            "type": "boolean"
          },
          "version": {
            "type": "string"
          },
          "nodeCount": {
            "type": "integer"
          },
          "podsByPhase": {
            "type": "object",
            "description": "Pods by phase (Running, Pending, ...).",
            "additionalProperties": {
              "type": "integer"
            }
          },
          "freshness": {
            "$ref": "#/components/schemas/Freshness"
          },
          "errors": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ClusterError"
            }
          }
        },
        "required": [
          "cluster",
          "reachable",
          "podsByPhase",
          "freshness",
          "errors"
        ]
      },
      "Clusters": {
        "type": "object",
        "description": "ClustersResponse in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "clusters": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ClusterOverview"
            }
          }
        },
        "required": [
          "clusters"
        ]
      },
      "PodLogs": {
        "type": "object",
        "description": "PodLogsResponse in @paved/plugin-kubernetes-status-common.",
        "additionalProperties": false,
        "properties": {
          "cluster": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          },
          "pod": {
            "type": "string"
          },
          "container": {
            "type": "string"
          },
          "previous": {
            "type": "boolean"
          },
          "lines": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        },
        "required": [
          "cluster",
          "namespace",
          "pod",
          "container",
          "previous",
          "lines"
        ]
      }
    },
    "responses": {
      "ErrorResponse": {
        "description": "An error",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    }
  },
  "paths": {
    "/entities/{kind}/{namespace}/{name}/status": {
      "get": {
        "operationId": "GetEntityStatus",
        "description": "Workloads, rollouts, pods, warning events, problems and per-cluster errors of an entity.",
        "parameters": [
          {
            "$ref": "#/components/parameters/kind"
          },
          {
            "$ref": "#/components/parameters/namespace"
          },
          {
            "$ref": "#/components/parameters/name"
          }
        ],
        "responses": {
          "200": {
            "description": "Status per cluster",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EntityStatus"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "500": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/diagnostics": {
      "get": {
        "operationId": "GetEntityDiagnostics",
        "description": "Why an entity shows nothing - selector, clusters asked, counts per type, RBAC denials.",
        "parameters": [
          {
            "$ref": "#/components/parameters/kind"
          },
          {
            "$ref": "#/components/parameters/namespace"
          },
          {
            "$ref": "#/components/parameters/name"
          }
        ],
        "responses": {
          "200": {
            "description": "Diagnostics",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EntityDiagnostics"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "500": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/logs": {
      "get": {
        "operationId": "GetPodLogs",
        "description": "Last lines of one container of one of the entity's pods (live call, not cached). 404 when the pod is not the entity's or the cluster is unknown; 500 when the cluster does not answer.",
        "parameters": [
          {
            "$ref": "#/components/parameters/kind"
          },
          {
            "$ref": "#/components/parameters/namespace"
          },
          {
            "$ref": "#/components/parameters/name"
          },
          {
            "name": "cluster",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "podNamespace",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "pod",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "container",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "previous",
            "in": "query",
            "required": false,
            "schema": {
              "type": "boolean"
            }
          },
          {
            "name": "tailLines",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 5000
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Log lines",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PodLogs"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "500": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/clusters": {
      "get": {
        "operationId": "GetClusters",
        "description": "Every cluster with reachability, version, node count, pods by phase and last sync.",
        "responses": {
          "200": {
            "description": "Clusters",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Clusters"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "500": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    }
  }
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
