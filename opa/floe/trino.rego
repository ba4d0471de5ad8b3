# Trino's OPA access control, answered by Floe's grants.
#
# Trino (access-control.name=opa) asks OPA about each operation: opa.policy.uri =
# /v1/data/floe/allow, opa.policy.batched-uri = /v1/data/floe/batch, and for row filters and
# column masks /v1/data/floe/rowFilters and /v1/data/floe/columnMask. This policy turns the
# question into Floe relations on Floe objects (a Trino catalog is a Floe warehouse, a schema a
# namespace) and asks Floe's batch check endpoint once per question, batches included.
#
# Operations on catalogs that are not Floe warehouses are left to Trino (allowed). Operations on a
# Floe catalog that this policy does not know need ownership of the Floe server.
package floe

import rego.v1

default allow := false

allow if {
	checks := requests(input.action.operation, object.get(input.action, "resource", {}), input.action)
	results := floe_check(checks)

	# an answer for every check, and every answer yes
	count(results) == count(checks)
	every result in results {
		result == true
	}
}

# Indices of input.action.filterResources the user may see, from one Floe request.
batch contains i if {
	input.action.operation != "FilterColumns"
	some i, _ in input.action.filterResources
	tagged_allowed[i]
}

# FilterColumns names one table with its columns: all or none of them, by describe on the table.
batch contains i if {
	input.action.operation == "FilterColumns"
	resource := input.action.filterResources[0]
	checks := table_checks(resource.table, "describe")
	results := floe_check(checks)
	count(results) == count(checks)
	every result in results {
		result == true
	}
	some i, _ in resource.table.columns
}

tagged := [{"index": i, "check": check} |
	some i, resource in input.action.filterResources
	some check in requests(input.action.operation, resource, input.action)
]

tagged_results := floe_check([t.check | some t in tagged])

# A resource is refused when one of its checks failed or Floe could not answer; a resource with
# no check at all (not in a Floe catalog) is allowed.
refused contains t.index if {
	some j, t in tagged
	not tagged_results[j] == true
}

tagged_allowed[i] if {
	some i, resource in input.action.filterResources
	requests(input.action.operation, resource, input.action)
	not refused[i]
}

# ---- what each operation needs

requests(operation, _, _) := [] if operation in trino_only

requests("AccessCatalog", resource, _) := catalog_checks(resource.catalog.name)

requests("FilterCatalogs", resource, _) := catalog_checks(resource.catalog.name)

requests("ShowSchemas", resource, _) := catalog_checks(resource.catalog.name)

requests("FilterSchemas", resource, _) := schema_checks(resource.schema, "browse")

requests("ShowTables", resource, _) := schema_checks(resource.schema, "browse")

requests("ShowFunctions", resource, _) := schema_checks(resource.schema, "browse")

requests("CreateSchema", resource, _) := warehouse_checks(resource.schema.catalogName, "create")

requests("DropSchema", resource, _) := schema_checks(resource.schema, "drop")

requests(operation, resource, _) := table_checks(resource.table, "describe") if operation in describe_operations

requests(operation, resource, _) := table_checks(resource.table, "select") if operation in select_operations

requests(operation, resource, _) := table_checks(resource.table, "modify") if operation in modify_operations

requests(operation, resource, _) := table_checks(resource.table, "drop") if operation in {"DropTable", "DropView", "DropMaterializedView"}

requests(operation, resource, _) := schema_checks(
	{"catalogName": resource.table.catalogName, "schemaName": resource.table.schemaName},
	"create",
) if operation in {"CreateTable", "CreateView", "CreateMaterializedView"}

requests(operation, resource, action) := array.concat(
	table_checks(resource.table, "modify"),
	schema_checks({"catalogName": target.catalogName, "schemaName": target.schemaName}, "create"),
) if {
	operation in {"RenameTable", "RenameView", "RenameMaterializedView"}
	target := action.targetResource.table
}

# Operations on other catalogs that this policy does not name are Trino's to decide.
requests(operation, resource, _) := [] if {
	not operation in known_operations
	count(catalogs_of(resource)) > 0
	every catalog in catalogs_of(resource) {
		not warehouse_of(catalog)
	}
}

# Operations this policy does not name, on a Floe catalog or on none (creating catalogs, say):
# the server's owners only.
requests(operation, resource, _) := [{"type": "server", "relation": "ownership"}] if {
	not operation in known_operations
	some catalog in catalogs_of(resource)
	warehouse_of(catalog)
}

requests(operation, resource, _) := [{"type": "server", "relation": "ownership"}] if {
	not operation in known_operations
	count(catalogs_of(resource)) == 0
}

trino_only := {
	"ExecuteQuery", "SetSystemSessionProperty", "SetCatalogSessionProperty", "ExecuteFunction",
	"ExecuteProcedure",
}

# Acting as, watching or stopping another user: only for oneself, or for the server's owners.
requests(operation, resource, _) := [] if {
	operation in owned_by_user
	resource.user.user == input.context.identity.user
}

requests(operation, resource, _) := [{"type": "server", "relation": "ownership"}] if {
	operation in owned_by_user
	resource.user.user != input.context.identity.user
}

requests(operation, _, _) := [{"type": "server", "relation": "ownership"}] if operation in system_operations

# Trino's own administration: the Floe server's owners only.
system_operations := {"ReadSystemInformation", "WriteSystemInformation", "CreateCatalog", "DropCatalog"}

owned_by_user := {"ImpersonateUser", "ViewQueryOwnedBy", "FilterViewQueryOwnedBy", "KillQueryOwnedBy"}

describe_operations := {"ShowColumns", "ShowCreateTable", "FilterTables", "FilterColumns"}

select_operations := {"SelectFromColumns", "CreateViewWithSelectFromColumns"}

modify_operations := {
	"InsertIntoTable", "DeleteFromTable", "TruncateTable", "UpdateTableColumns", "AddColumn", "DropColumn",
	"AlterColumn", "RenameColumn", "SetTableProperties", "SetTableComment", "SetViewComment", "SetColumnComment",
	"ExecuteTableProcedure", "RefreshMaterializedView", "SetMaterializedViewProperties",
}

known_operations := ((((trino_only | owned_by_user) | describe_operations) | select_operations) | modify_operations) | {
	"ReadSystemInformation", "WriteSystemInformation", "CreateCatalog", "DropCatalog", "AccessCatalog", "FilterCatalogs", "ShowSchemas", "FilterSchemas", "ShowTables", "ShowFunctions", "CreateSchema",
	"DropSchema", "DropTable", "DropView", "DropMaterializedView", "CreateTable", "CreateView",
	"CreateMaterializedView", "RenameTable", "RenameView", "RenameMaterializedView",
}

catalogs_of(resource) := {name |
	some key in ["table", "schema"]
	name := resource[key].catalogName
} | {name | name := resource.catalog.name}

# ---- Floe objects

warehouse_of(catalog) := config.catalogs[catalog]

catalog_checks(catalog) := [] if not warehouse_of(catalog)

catalog_checks(catalog) := [{"type": "warehouse", "warehouse": warehouse_of(catalog), "relation": "browse"}]

warehouse_checks(catalog, _) := [] if not warehouse_of(catalog)

warehouse_checks(catalog, relation) := [{"type": "warehouse", "warehouse": warehouse_of(catalog), "relation": relation}]

schema_checks(schema, _) := [] if not warehouse_of(schema.catalogName)

# information_schema is Trino's own: visible wherever its catalog is
schema_checks(schema, _) := catalog_checks(schema.catalogName) if {
	warehouse_of(schema.catalogName)
	schema.schemaName == "information_schema"
}

schema_checks(schema, relation) := [{
	"type": "namespace", "warehouse": warehouse_of(schema.catalogName), "namespace": [schema.schemaName],
	"relation": relation,
}] if {
	warehouse_of(schema.catalogName)
	schema.schemaName != "information_schema"
}

table_checks(table, _) := [] if not warehouse_of(table.catalogName)

table_checks(table, _) := catalog_checks(table.catalogName) if {
	warehouse_of(table.catalogName)
	table.schemaName == "information_schema"
}

# a name may be a table or a view: whichever exists is allowed on
table_checks(table, relation) := [{
	"any": [
		{"type": "table", "warehouse": warehouse_of(table.catalogName), "namespace": [table.schemaName], "name": table.tableName, "relation": relation},
		{"type": "view", "warehouse": warehouse_of(table.catalogName), "namespace": [table.schemaName], "name": table.tableName, "relation": relation},
	],
}] if {
	warehouse_of(table.catalogName)
	table.schemaName != "information_schema"
}

# ---- row filters and column masks, kept by Floe per table

rowFilters contains {"expression": filter.expression} if {
	table := input.action.resource.table
	some filter in data_policy(table)["row-filters"]
}

columnMask := {"expression": mask.expression} if {
	column := input.action.resource.column
	some mask in data_policy({"catalogName": column.catalogName, "schemaName": column.schemaName, "tableName": column.tableName})["column-masks"]
	mask.column == column.columnName
}

data_policy(table) := response.body if {
	warehouse_of(table.catalogName)
	response := http.send({
		"method": "POST",
		"url": concat("", [config.uri, "/management/v1/permissions/data-policy"]),
		"headers": headers,
		"body": {"principal": principal, "warehouse": warehouse_of(table.catalogName), "namespace": [table.schemaName], "name": table.tableName},
		"raise_error": false,
	})
	response.status_code == 200
}

# ---- Floe

principal := concat("", [config.principal_prefix, input.context.identity.user])

# One request for all checks; a check {"any": [...]} holds when one of its alternatives does.
floe_check(checks) := [] if count(checks) == 0

floe_check(checks) := results if {
	count(checks) > 0
	flat := [alternative | some check in checks; some alternative in alternatives(check)]
	response := http.send({
		"method": "POST",
		"url": concat("", [config.uri, "/management/v1/permissions/check"]),
		"headers": headers,
		"body": {"principal": principal, "checks": flat},
		"raise_error": false,
	})
	response.status_code == 200
	answers := [answer |
		some r in response.body.results
		answer := r.allowed == true
	]
	count(answers) == count(flat)
	results := [allowed |
		some i, check in checks
		offset := sum([count(alternatives(c)) | some j, c in checks; j < i])
		allowed := any_true([answers[offset + k] | some k, _ in alternatives(check)])
	]
}

alternatives(check) := check.any if check.any

alternatives(check) := [check] if not check.any

any_true(values) if {
	some value in values
	value == true
} else := false

headers := {"Authorization": concat(" ", ["Bearer", token]), "Content-Type": "application/json"}

# The bridge's own token, from the OpenID provider (client credentials), reused for a minute.
token := http.send({
	"method": "POST",
	"url": config.token_uri,
	"headers": {"Content-Type": "application/x-www-form-urlencoded"},
	"raw_body": sprintf("grant_type=client_credentials&client_id=%s&client_secret=%s", [urlquery.encode(config.client_id), urlquery.encode(config.client_secret)]),
	"force_cache": true,
	"force_cache_duration_seconds": 60,
}).body.access_token

# ---- configuration, from the OPA process's environment

env := opa.runtime().env

config := {
	"uri": env.FLOE_URI,
	"token_uri": env.FLOE_OPA_TOKEN_URI,
	"client_id": env.FLOE_OPA_CLIENT_ID,
	"client_secret": env.FLOE_OPA_CLIENT_SECRET,
	"catalogs": json.unmarshal(object.get(env, "FLOE_OPA_CATALOGS", "{}")),
	"principal_prefix": object.get(env, "FLOE_OPA_PRINCIPAL_PREFIX", ""),
}
