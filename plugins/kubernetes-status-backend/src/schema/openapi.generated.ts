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
      "EntityStatus": {
        "type": "object",
        "description": "See EntityStatusResponse in @paved/plugin-kubernetes-status-common.",
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "selector": {
            "type": "object"
          },
          "reason": {
            "type": "string"
          },
          "health": {
            "type": "string",
            "enum": [
              "ok",
              "degraded",
              "failing",
              "unknown"
            ]
          },
          "clusters": {
            "type": "array",
            "items": {
              "type": "object"
            }
          },
          "drift": {
            "type": "array",
            "items": {
              "type": "object"
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
      "EntityDiagnostics": {
        "type": "object",
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "selector": {
            "type": "object"
          },
          "reason": {
            "type": "string"
          },
          "clusters": {
            "type": "array",
            "items": {
              "type": "object"
            }
          }
        },
        "required": [
          "entityRef",
          "clusters"
        ]
      },
      "Clusters": {
        "type": "object",
        "properties": {
          "clusters": {
            "type": "array",
            "items": {
              "type": "object"
            }
          }
        },
        "required": [
          "clusters"
        ]
      },
      "PodLogs": {
        "type": "object",
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
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
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
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/logs": {
      "get": {
        "operationId": "GetPodLogs",
        "description": "Last lines of one container of one of the entity's pods (live call, not cached).",
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
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
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
