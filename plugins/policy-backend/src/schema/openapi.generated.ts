// Generated from openapi.yaml by scripts/openapi-to-ts.mjs. Do not edit.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.1.0",
  "info": {
    "title": "policy",
    "version": "1",
    "description": "Policy findings of catalog entities, fleet compliance, history, engine\nhealth and the policy library. Findings come from a scheduled evaluation\nagainst OPA, stored in the plugin's database. Every route needs a\nBackstage token. When no OPA is configured, `engine.configured` is false\nwith a message saying how to add one; compliance is then `unknown`, never\n`passing`.\n",
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
      },
      "owner": {
        "name": "owner",
        "in": "query",
        "required": false,
        "description": "Owner entity refs (e.g. group:default/team-a); repeat for several.",
        "schema": {
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255
          }
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
      "Engine": {
        "type": "object",
        "description": "PolicyEngineConfigured in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "configured": {
            "type": "boolean"
          },
          "message": {
            "type": "string"
          },
          "simulated": {
            "type": "boolean"
          },
          "bundleErrors": {
            "type": "array",
            "description": "Bundles OPA reported it could not activate, with file and line of each compile error.",
            "items": {
              "$ref": "#/components/schemas/EngineBundleError"
            }
          }
        },
        "required": [
          "configured"
        ]
      },
      "EngineBundleError": {
        "type": "object",
        "description": "EngineBundleError in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "bundle": {
            "type": "string"
          },
          "message": {
            "type": "string"
          },
          "problems": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "code": {
                  "type": "string"
                },
                "message": {
                  "type": "string"
                },
                "file": {
                  "type": "string"
                },
                "row": {
                  "type": "integer"
                },
                "col": {
                  "type": "integer"
                }
              },
              "required": [
                "code",
                "message"
              ]
            }
          },
          "activeRevision": {
            "type": "string"
          },
          "reportedAt": {
            "type": "string"
          },
          "instance": {
            "type": "string"
          }
        },
        "required": [
          "bundle",
          "message",
          "problems",
          "reportedAt",
          "instance"
        ]
      },
      "Counts": {
        "type": "object",
        "description": "ViolationCounts in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "error": {
            "type": "integer"
          },
          "warning": {
            "type": "integer"
          },
          "info": {
            "type": "integer"
          }
        },
        "required": [
          "error",
          "warning",
          "info"
        ]
      },
      "Staleness": {
        "type": "object",
        "description": "PolicyStaleness - the last evaluation failed; older results are served.",
        "additionalProperties": false,
        "properties": {
          "since": {
            "type": "string"
          },
          "error": {
            "type": "string"
          }
        },
        "required": [
          "since",
          "error"
        ]
      },
      "Resource": {
        "type": "object",
        "description": "PolicyResource - the object a finding is about.",
        "additionalProperties": false,
        "properties": {
          "apiVersion": {
            "type": "string"
          },
          "kind": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "cluster": {
            "type": "string"
          },
          "simulated": {
            "type": "boolean"
          }
        }
      },
      "Finding": {
        "type": "object",
        "description": "PolicyViolation in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "source": {
            "type": "string",
            "enum": [
              "catalog",
              "workload",
              "gatekeeper"
            ]
          },
          "policy": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "level": {
            "type": "string",
            "enum": [
              "error",
              "warning",
              "info"
            ]
          },
          "message": {
            "type": "string"
          },
          "remediation": {
            "type": "string"
          },
          "docsUrl": {
            "type": "string"
          },
          "resource": {
            "$ref": "#/components/schemas/Resource"
          },
          "evaluatedAt": {
            "type": "string"
          },
          "policyRevision": {
            "type": "string"
          },
          "decisionId": {
            "type": "string"
          }
        },
        "required": [
          "source",
          "policy",
          "id",
          "level",
          "message",
          "evaluatedAt",
          "policyRevision"
        ]
      },
      "GatekeeperAudit": {
        "type": "object",
        "description": "GatekeeperConstraintAudit - audit time, total vs listed (capped) violations, staleness.",
        "additionalProperties": false,
        "properties": {
          "cluster": {
            "type": "string"
          },
          "simulated": {
            "type": "boolean"
          },
          "constraintKind": {
            "type": "string"
          },
          "constraintName": {
            "type": "string"
          },
          "enforcementAction": {
            "type": "string"
          },
          "auditTimestamp": {
            "type": "string"
          },
          "totalViolations": {
            "type": "integer"
          },
          "reportedViolations": {
            "type": "integer"
          },
          "truncated": {
            "type": "boolean"
          },
          "stale": {
            "type": "boolean"
          }
        },
        "required": [
          "cluster",
          "constraintKind",
          "constraintName",
          "totalViolations",
          "reportedViolations",
          "truncated",
          "stale"
        ]
      },
      "RunSummary": {
        "type": "object",
        "description": "EvaluationRunSummary in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "integer"
          },
          "trigger": {
            "type": "string",
            "enum": [
              "schedule",
              "manual"
            ]
          },
          "startedAt": {
            "type": "string"
          },
          "finishedAt": {
            "type": "string"
          },
          "durationMs": {
            "type": "integer"
          },
          "policyRevision": {
            "type": "string"
          },
          "entities": {
            "type": "integer"
          },
          "evaluated": {
            "type": "integer"
          },
          "skipped": {
            "type": "integer"
          },
          "opaCalls": {
            "type": "integer"
          },
          "errors": {
            "type": "integer"
          },
          "counts": {
            "$ref": "#/components/schemas/Counts"
          },
          "errorMessages": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        },
        "required": [
          "id",
          "trigger",
          "startedAt",
          "entities",
          "evaluated",
          "skipped",
          "opaCalls",
          "errors",
          "counts",
          "errorMessages"
        ]
      },
      "OpaStatusReport": {
        "type": "object",
        "description": "A status report as OPA's status plugin sends it (https://www.openpolicyagent.org/docs/management-status). Only `labels` and `bundles` are read; OPA's metrics are ignored.",
        "properties": {
          "labels": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 255
              },
              "version": {
                "type": "string",
                "maxLength": 64
              }
            },
            "required": [
              "id"
            ]
          },
          "bundles": {
            "type": "object",
            "additionalProperties": {
              "type": "object",
              "properties": {
                "name": {
                  "type": "string",
                  "maxLength": 255
                },
                "active_revision": {
                  "type": "string",
                  "maxLength": 255
                },
                "last_successful_activation": {
                  "type": "string"
                },
                "last_request": {
                  "type": "string"
                },
                "code": {
                  "type": "string",
                  "maxLength": 255
                },
                "message": {
                  "type": "string",
                  "maxLength": 4096
                },
                "errors": {
                  "type": "array",
                  "maxItems": 1000,
                  "items": {
                    "type": "object",
                    "properties": {
                      "code": {
                        "type": "string",
                        "maxLength": 255
                      },
                      "message": {
                        "type": "string",
                        "maxLength": 4096
                      },
                      "location": {
                        "type": "object",
                        "properties": {
                          "file": {
                            "type": "string",
                            "maxLength": 1024
                          },
                          "row": {
                            "type": "integer"
                          },
                          "col": {
                            "type": "integer"
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        },
        "required": [
          "labels"
        ]
      },
      "Compliance": {
        "type": "object",
        "description": "ComplianceState in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "passing",
              "warnings",
              "failing",
              "unknown"
            ]
          },
          "counts": {
            "$ref": "#/components/schemas/Counts"
          },
          "reason": {
            "type": "string",
            "enum": [
              "not-configured",
              "not-evaluated",
              "undefined-result",
              "invalid-result",
              "engine-error",
              "skipped"
            ]
          },
          "reasonMessage": {
            "type": "string"
          }
        },
        "required": [
          "status",
          "counts"
        ]
      },
      "EntityFindings": {
        "type": "object",
        "description": "EntityFindingsResponse in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "engine": {
            "$ref": "#/components/schemas/Engine"
          },
          "compliance": {
            "$ref": "#/components/schemas/Compliance"
          },
          "findings": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          },
          "evaluatedAt": {
            "type": "string"
          },
          "policyRevision": {
            "type": "string"
          },
          "decisionId": {
            "type": "string"
          },
          "stale": {
            "$ref": "#/components/schemas/Staleness"
          },
          "gatekeeper": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/GatekeeperAudit"
            }
          }
        },
        "required": [
          "entityRef",
          "engine",
          "compliance",
          "findings"
        ]
      },
      "ComplianceListItem": {
        "type": "object",
        "description": "ComplianceListItem in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "kind": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "owner": {
            "type": "string"
          },
          "system": {
            "type": "string"
          },
          "compliance": {
            "$ref": "#/components/schemas/Compliance"
          },
          "evaluatedAt": {
            "type": "string"
          },
          "policyRevision": {
            "type": "string"
          },
          "stale": {
            "$ref": "#/components/schemas/Staleness"
          }
        },
        "required": [
          "entityRef",
          "kind",
          "namespace",
          "name",
          "compliance"
        ]
      },
      "ComplianceList": {
        "type": "object",
        "description": "ComplianceListResponse in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "engine": {
            "$ref": "#/components/schemas/Engine"
          },
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ComplianceListItem"
            }
          },
          "totalCount": {
            "type": "integer"
          },
          "offset": {
            "type": "integer"
          },
          "limit": {
            "type": "integer"
          }
        },
        "required": [
          "engine",
          "items",
          "totalCount",
          "offset",
          "limit"
        ]
      },
      "Trend": {
        "type": "object",
        "description": "ComplianceTrendResponse in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "owner": {
            "type": "string"
          },
          "points": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "runId": {
                  "type": "integer"
                },
                "at": {
                  "type": "string"
                },
                "entities": {
                  "type": "integer"
                },
                "failing": {
                  "type": "integer"
                },
                "counts": {
                  "$ref": "#/components/schemas/Counts"
                }
              },
              "required": [
                "runId",
                "at",
                "entities",
                "failing",
                "counts"
              ]
            }
          },
          "restricted": {
            "type": "string"
          }
        },
        "required": [
          "points"
        ]
      },
      "EngineHealth": {
        "type": "object",
        "description": "EngineHealthResponse in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "engine": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "configured": {
                "type": "boolean"
              },
              "message": {
                "type": "string"
              },
              "simulated": {
                "type": "boolean"
              },
              "bundleErrors": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/EngineBundleError"
                }
              },
              "baseUrl": {
                "type": "string"
              },
              "reachable": {
                "type": "boolean"
              },
              "error": {
                "type": "string"
              },
              "activeRevision": {
                "type": "string"
              }
            },
            "required": [
              "configured"
            ]
          },
          "lastRun": {
            "$ref": "#/components/schemas/RunSummary"
          }
        },
        "required": [
          "engine"
        ]
      },
      "Policies": {
        "type": "object",
        "description": "PoliciesResponse in @paved/plugin-policy-common.",
        "additionalProperties": false,
        "properties": {
          "engine": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "configured": {
                "type": "boolean"
              },
              "message": {
                "type": "string"
              },
              "simulated": {
                "type": "boolean"
              },
              "bundleErrors": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/EngineBundleError"
                }
              },
              "reachable": {
                "type": "boolean"
              },
              "error": {
                "type": "string"
              }
            },
            "required": [
              "configured"
            ]
          },
          "modules": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "id": {
                  "type": "string"
                },
                "packageName": {
                  "type": "string"
                },
                "title": {
                  "type": "string"
                },
                "description": {
                  "type": "string"
                },
                "raw": {
                  "type": "string"
                },
                "rules": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "policy": {
                        "type": "string"
                      },
                      "name": {
                        "type": "string"
                      },
                      "title": {
                        "type": "string"
                      },
                      "description": {
                        "type": "string"
                      },
                      "line": {
                        "type": "integer"
                      },
                      "flaggedEntities": {
                        "type": "array",
                        "items": {
                          "type": "string"
                        }
                      }
                    },
                    "required": [
                      "policy",
                      "name",
                      "line",
                      "flaggedEntities"
                    ]
                  }
                }
              },
              "required": [
                "id",
                "packageName",
                "raw",
                "rules"
              ]
            }
          }
        },
        "required": [
          "engine",
          "modules"
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
    "/entities/{kind}/{namespace}/{name}/findings": {
      "get": {
        "operationId": "GetEntityFindings",
        "description": "Stored findings and compliance state of one entity (stale with the error when the last evaluation failed).",
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
            "description": "Findings",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EntityFindings"
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
    "/entities/{kind}/{namespace}/{name}/evaluate": {
      "post": {
        "operationId": "EvaluateEntity",
        "description": "Re-evaluates one entity against OPA now and returns its findings.",
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
            "description": "Findings after the evaluation",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EntityFindings"
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
          },
          "503": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/runs": {
      "post": {
        "operationId": "TriggerRun",
        "description": "Starts a policy run over the whole catalog now (on whichever replica picks it up); poll /health for its result.",
        "responses": {
          "202": {
            "description": "Run requested",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "taskId": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "taskId"
                  ]
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
          "503": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/compliance": {
      "get": {
        "operationId": "GetCompliance",
        "description": "The fleet's compliance, worst first, filtered and paginated in the database.",
        "parameters": [
          {
            "$ref": "#/components/parameters/owner"
          },
          {
            "name": "system",
            "in": "query",
            "required": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "minLength": 1,
                "maxLength": 255
              }
            }
          },
          {
            "name": "kind",
            "in": "query",
            "required": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "minLength": 1,
                "maxLength": 63
              }
            }
          },
          {
            "name": "level",
            "in": "query",
            "required": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "error",
                  "warning",
                  "info"
                ]
              }
            }
          },
          {
            "name": "source",
            "in": "query",
            "required": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "catalog",
                  "workload",
                  "gatekeeper"
                ]
              }
            }
          },
          {
            "name": "offset",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0,
              "default": 0
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500,
              "default": 50
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page of entities",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ComplianceList"
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
          }
        }
      }
    },
    "/trend": {
      "get": {
        "operationId": "GetTrend",
        "description": "Violations per evaluation run, oldest first; of one owner's entities when `owner` is given.",
        "parameters": [
          {
            "name": "owner",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000,
              "default": 90
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Trend points",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Trend"
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
    },
    "/health": {
      "get": {
        "operationId": "GetEngineHealth",
        "description": "Whether OPA is configured and reachable, the active revision, and the last run.",
        "responses": {
          "200": {
            "description": "Engine health",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EngineHealth"
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
    },
    "/engine/status": {
      "post": {
        "operationId": "ReportEngineStatus",
        "description": "OPA's status API target: configure OPA with `status.service` pointing at `<backend>/api/policy/engine` and a Backstage external access token (service principal). Bundle download and activation errors then show in every policy view, with file and line.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/OpaStatusReport"
              }
            }
          }
        },
        "responses": {
          "204": {
            "description": "Recorded"
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/policies": {
      "get": {
        "operationId": "GetPolicies",
        "description": "Rego modules loaded in OPA, their rules with METADATA titles, and the entities each rule flags.",
        "responses": {
          "200": {
            "description": "Policy library",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Policies"
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
