package floe_test

import data.floe
import rego.v1

# A Floe stand-in: alice reaches the warehouse and sales, may read sales.orders, and owns staging.
cfg := {
	"uri": "http://floe", "token_uri": "http://idp/token", "client_id": "opa", "client_secret": "secret",
	"catalogs": {"lake": "demo"}, "principal_prefix": "oidc~",
}

grants := {
	{"type": "warehouse", "relation": "browse"},
	{"type": "namespace", "namespace": ["sales"], "relation": "browse"},
	{"type": "table", "namespace": ["sales"], "name": "orders", "relation": "describe"},
	{"type": "table", "namespace": ["sales"], "name": "orders", "relation": "select"},
	{"type": "namespace", "namespace": ["staging"], "relation": "browse"},
	{"type": "namespace", "namespace": ["staging"], "relation": "create"},
	{"type": "view", "namespace": ["staging"], "name": "recent", "relation": "describe"},
	{"type": "view", "namespace": ["staging"], "name": "recent", "relation": "modify"},
}

allowed(principal, check) if {
	principal == "oidc~alice"
	check.warehouse == "demo"
	object.remove(check, ["warehouse"]) in grants
} else := false

floe_up(request) := {"status_code": 200, "body": {"access_token": "token"}} if request.url == "http://idp/token"

floe_up(request) := {"status_code": 200, "body": {"results": [{"allowed": allowed(request.body.principal, c)} | some c in request.body.checks]}} if {
	request.url == "http://floe/management/v1/permissions/check"
	request.headers.Authorization == "Bearer token"
}

floe_up(request) := {"status_code": 200, "body": {
	"row-filters": [{"expression": "region = 'EU'"}],
	"column-masks": [{"column": "email", "expression": "'***'"}],
}} if {
	request.url == "http://floe/management/v1/permissions/data-policy"
	request.body == {"principal": "oidc~alice", "warehouse": "demo", "namespace": ["sales"], "name": "orders"}
}

floe_down(request) := {"status_code": 200, "body": {"access_token": "token"}} if request.url == "http://idp/token"

floe_down(request) := {"status_code": 503, "body": {}} if request.url != "http://idp/token"

query(user, operation, resource) := {
	"context": {"identity": {"user": user, "groups": []}},
	"action": {"operation": operation, "resource": resource},
}

table(catalog, schema, name) := {"table": {"catalogName": catalog, "schemaName": schema, "tableName": name}}

test_a_granted_select_is_allowed if {
	floe.allow with input as query("alice", "SelectFromColumns", table("lake", "sales", "orders"))
		with floe.config as cfg with http.send as floe_up
}

test_select_elsewhere_is_refused if {
	not floe.allow with input as query("alice", "SelectFromColumns", table("lake", "sales", "customers"))
		with floe.config as cfg with http.send as floe_up
	not floe.allow with input as query("bob", "SelectFromColumns", table("lake", "sales", "orders"))
		with floe.config as cfg with http.send as floe_up
}

test_select_is_not_insert if {
	not floe.allow with input as query("alice", "InsertIntoTable", table("lake", "sales", "orders"))
		with floe.config as cfg with http.send as floe_up
}

test_views_are_found_by_the_same_name if {
	floe.allow with input as query("alice", "SetViewComment", table("lake", "staging", "recent"))
		with floe.config as cfg with http.send as floe_up
}

test_create_and_rename_need_create_on_the_schema if {
	floe.allow with input as query("alice", "CreateTable", table("lake", "staging", "new"))
		with floe.config as cfg with http.send as floe_up
	not floe.allow with input as query("alice", "CreateTable", table("lake", "sales", "new"))
		with floe.config as cfg with http.send as floe_up
	rename := object.union(query("alice", "RenameView", table("lake", "staging", "recent")), {"action": {"targetResource": table("lake", "sales", "recent")}})
	not floe.allow with input as rename with floe.config as cfg with http.send as floe_up
}

test_filters_are_answered_in_one_batch if {
	request := {
		"context": {"identity": {"user": "alice", "groups": []}},
		"action": {"operation": "FilterTables", "filterResources": [
			table("lake", "sales", "orders"), table("lake", "sales", "customers"), table("system", "runtime", "nodes"),
			table("lake", "information_schema", "tables"),
		]},
	}
	floe.batch == {0, 2, 3} with input as request with floe.config as cfg with http.send as floe_up
}

test_schemas_and_catalogs_are_browsed if {
	request := {
		"context": {"identity": {"user": "alice", "groups": []}},
		"action": {"operation": "FilterSchemas", "filterResources": [
			{"schema": {"catalogName": "lake", "schemaName": "sales"}},
			{"schema": {"catalogName": "lake", "schemaName": "hr"}},
			{"schema": {"catalogName": "lake", "schemaName": "information_schema"}},
		]},
	}
	floe.batch == {0, 2} with input as request with floe.config as cfg with http.send as floe_up
	floe.allow with input as query("alice", "AccessCatalog", {"catalog": {"name": "lake"}})
		with floe.config as cfg with http.send as floe_up
	not floe.allow with input as query("bob", "AccessCatalog", {"catalog": {"name": "lake"}})
		with floe.config as cfg with http.send as floe_up
}

test_columns_follow_their_table if {
	columns := {
		"context": {"identity": {"user": "alice", "groups": []}},
		"action": {"operation": "FilterColumns", "filterResources": [{"table": {
			"catalogName": "lake", "schemaName": "sales", "tableName": "orders", "columns": ["id", "email", "region"],
		}}]},
	}
	floe.batch == {0, 1, 2} with input as columns with floe.config as cfg with http.send as floe_up
	floe.batch == set() with input as json.patch(columns, [{"op": "replace", "path": "/context/identity/user", "value": "bob"}])
		with floe.config as cfg with http.send as floe_up
}

test_other_catalogs_are_trinos_and_unknown_operations_on_floe_are_refused if {
	floe.allow with input as query("bob", "SelectFromColumns", table("system", "runtime", "nodes"))
		with floe.config as cfg with http.send as floe_up
	floe.allow with input as query("bob", "ExecuteQuery", {}) with floe.config as cfg with http.send as floe_up
	not floe.allow with input as query("alice", "CreateFunction", table("lake", "sales", "orders"))
		with floe.config as cfg with http.send as floe_up
}

test_acting_as_others_is_for_the_servers_owners if {
	floe.allow with input as query("alice", "ImpersonateUser", {"user": {"user": "alice"}})
		with floe.config as cfg with http.send as floe_up
	not floe.allow with input as query("alice", "ImpersonateUser", {"user": {"user": "bob"}})
		with floe.config as cfg with http.send as floe_up
	not floe.allow with input as query("alice", "KillQueryOwnedBy", {"user": {"user": "bob"}})
		with floe.config as cfg with http.send as floe_up
	floe.allow with input as query("alice", "KillQueryOwnedBy", {"user": {"user": "alice"}})
		with floe.config as cfg with http.send as floe_up
	not floe.allow with input as query("alice", "CreateCatalog", {"catalog": {"name": "new"}})
		with floe.config as cfg with http.send as floe_up
	not floe.allow with input as query("alice", "WriteSystemInformation", {})
		with floe.config as cfg with http.send as floe_up
}

test_nothing_is_allowed_when_floe_cannot_answer if {
	not floe.allow with input as query("alice", "SelectFromColumns", table("lake", "sales", "orders"))
		with floe.config as cfg with http.send as floe_down
	request := {
		"context": {"identity": {"user": "alice", "groups": []}},
		"action": {"operation": "FilterTables", "filterResources": [table("lake", "sales", "orders"), table("system", "runtime", "nodes")]},
	}
	floe.batch == {1} with input as request with floe.config as cfg with http.send as floe_down
}

test_row_filters_and_column_masks_come_from_floe if {
	floe.rowFilters == {{"expression": "region = 'EU'"}} with input as query("alice", "GetRowFilters", table("lake", "sales", "orders"))
		with floe.config as cfg with http.send as floe_up
	column := {"column": {"catalogName": "lake", "schemaName": "sales", "tableName": "orders", "columnName": "email", "columnType": "varchar"}}
	floe.columnMask == {"expression": "'***'"} with input as query("alice", "GetColumnMask", column)
		with floe.config as cfg with http.send as floe_up
	other := json.patch(column, [{"op": "replace", "path": "/column/columnName", "value": "id"}])
	not floe.columnMask with input as query("alice", "GetColumnMask", other) with floe.config as cfg with http.send as floe_up
}
