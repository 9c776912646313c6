# Input shapes of paved.catalog: what a well-formed input is, and the
# problems the invalid-input rule (catalog.rego) reports. Fail closed: a
# field a rule reads that is missing (when required), null or of another type
# is a finding, never a silent pass.
package paved.catalog

import rego.v1

# The fields the rules read, as [path, expected types, required]. A field
# that is missing (when required), null or of another type is reported by
# invalid-input, and the rules that read it leave it alone: fail closed, never
# a silent pass. Paths under input:
input_fields := [
	[["entity"], ["object"], true],
	[["owner"], ["object", "null"], false],
	[["system"], ["object", "null"], false],
]

# Paths under input.entity, for every kind:
entity_fields := [
	[["kind"], ["string"], true],
	[["metadata"], ["object"], true],
	[["metadata", "annotations"], ["object"], false],
	[["spec"], ["object"], false],
]

# Paths under input.entity that the rules read for some kinds only, by
# kind; each is an optional string. Written out rather than built from
# owned_kinds and the others: in a batch, rules are evaluated again for every
# item, and only a literal costs nothing to rebuild (input_test.rego checks
# this table against the kinds the rules use).
kind_fields := {
	"API": [["spec", "owner"], ["metadata", "description"], ["spec", "system"], ["spec", "lifecycle"]],
	"Component": [
		["spec", "owner"], ["metadata", "description"], ["spec", "system"], ["spec", "lifecycle"], ["spec", "type"],
		["metadata", "annotations", "backstage.io/kubernetes-id"],
		["metadata", "annotations", "backstage.io/kubernetes-label-selector"],
		["metadata", "annotations", "backstage.io/techdocs-ref"],
		["metadata", "annotations", "paved.dev/runtime"],
	],
	"Domain": [["spec", "owner"], ["metadata", "description"]],
	"Resource": [["spec", "owner"], ["metadata", "description"], ["spec", "system"]],
	"System": [["spec", "owner"], ["metadata", "description"]],
}

# What is malformed in the input, one message each.
input_problems contains message if {
	not input_is_object
	message := sprintf("input is %s, expected an object", [input_text])
}

# Each check looks the field up once; only a field that is not well-formed
# (or absent) costs a function call. Evaluated once per entity, so this is
# the hot path of a batch.
input_problems contains message if {
	input_is_object
	not input_ok
	some [path, types, required] in input_fields
	value := object.get(input, path, absent)
	not type_name(value) in types
	present_or_required(value, required)
	message := field_problem(input, ["input"], path, types, required)
}

input_problems contains message if {
	not entity_ok
	some [path, types, required] in entity_fields
	value := object.get(entity, path, absent)
	not type_name(value) in types
	present_or_required(value, required)
	message := field_problem(entity, [], path, types, required)
}

input_problems contains message if {
	not entity_ok
	some path in object.get(kind_fields, kind, [])
	value := object.get(entity, path, "")
	not is_string(value)
	message := field_problem(entity, [], path, ["string"], false)
}

# Fast paths: the common, well-formed case in one rule of plain lookups
# instead of a pass over each table row. Each rejects at least what its
# tables reject (entity_ok checks every kind's fields, whatever the kind);
# input_test.rego derives a malformed value from every row and checks it.
input_ok if {
	is_object(input.entity)
	type_name(object.get(input, "owner", null)) in {"object", "null"}
	type_name(object.get(input, "system", null)) in {"object", "null"}
}

entity_ok if {
	is_string(entity.kind)
	is_object(entity.metadata)
	is_object(object.get(entity.metadata, "annotations", {}))
	is_object(object.get(entity, "spec", {}))
	is_string(object.get(entity.spec, "owner", ""))
	is_string(object.get(entity.spec, "system", ""))
	is_string(object.get(entity.spec, "lifecycle", ""))
	is_string(object.get(entity.spec, "type", ""))
	is_string(object.get(entity.metadata, "description", ""))
	is_string(object.get(entity.metadata, ["annotations", "backstage.io/kubernetes-id"], ""))
	is_string(object.get(entity.metadata, ["annotations", "backstage.io/kubernetes-label-selector"], ""))
	is_string(object.get(entity.metadata, ["annotations", "backstage.io/techdocs-ref"], ""))
	is_string(object.get(entity.metadata, ["annotations", "paved.dev/runtime"], ""))
}

items_problem := sprintf("input.items is %s, expected an object of items by key", [value_text(input, "items")]) if {
	input_is_object
}

items_problem := sprintf("input is %s, expected an object with items", [input_text]) if not input_is_object

# Helpers for `not`: OPA evaluates a call's arguments before the negation, so
# `not is_object(input.items)` is undefined, not true, when input.items is.
input_is_object if is_object(input)

items_is_object if is_object(input.items)

default input_text := "missing"

input_text := type_text(input)

# Shape helpers, the same in catalog/input.rego and workload/input.rego.

# "<path> is missing, expected a string" or "<path> is a number, expected a
# string" when the field at path under doc is not well-formed, with the path
# under base; undefined when it is, or when its parent is not an object (then
# the parent's own check reports it).
field_problem(doc, base, path, types, required) := concat(" ", [path_text(array.concat(base, path)), problem]) if {
	problem := shape_problem(doc, path, types, required)
}

# Callers look the field up first (object.get(doc, path, absent)) and call
# these only for a value of another type: the common, well-formed case costs
# no function call. A set stands for an absent field: JSON cannot hold one.
absent := {"absent"}

present_or_required(_, true)

present_or_required(value, false) if value != absent

# "is missing, expected a string", "is a number, expected a string", or
# undefined when the field at path under doc is well-formed or its parent is
# not an object.
shape_problem(doc, path, types, required) := problem if {
	is_object(doc)
	parent := object.get(doc, array.slice(path, 0, count(path) - 1), null)
	is_object(parent)
	problem := value_problem(parent, path[count(path) - 1], types, required)
}

value_problem(parent, key, types, true) := sprintf("is missing, expected %s", [types_text(types)]) if {
	not key in object.keys(parent)
}

value_problem(parent, key, types, _) := sprintf("is %s, expected %s", [type_text(value), types_text(types)]) if {
	value := parent[key]
	not type_name(value) in types
}

# "missing" or the type of doc[key], for a message.
value_text(doc, key) := type_text(doc[key])

value_text(doc, key) := "missing" if not key in object.keys(doc)

type_text(value) := type_article(type_name(value))

types_text(types) := concat(" or ", [type_article(t) | some t in types])

type_article("null") := "null"

type_article(name) := concat(" ", ["an", name]) if name in {"array", "object"}

type_article(name) := concat(" ", ["a", name]) if not name in {"null", "array", "object"}

# spec.template.spec.containers[0].name, metadata.labels["app.kubernetes.io/name"], ...
path_text(path) := trim_prefix(concat("", [segment_text(s) | some s in path]), ".")

segment_text(segment) := sprintf("[%d]", [segment]) if is_number(segment)

segment_text(segment) := concat("", [".", segment]) if {
	is_string(segment)
	regex.match(identifier, segment)
}

segment_text(segment) := sprintf("[%s]", [json.marshal(segment)]) if {
	is_string(segment)
	not regex.match(identifier, segment)
}

identifier := `^[A-Za-z_][A-Za-z0-9_]*$`
