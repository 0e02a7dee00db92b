"""The OpenAPI document describes every endpoint."""

PATHS = {
    "/api/v1/auth/token": {"post"},
    "/api/v1/persons": {"get"},
    "/api/v1/persons/{person_id}": {"get"},
    "/api/v1/persons/{person_id}/cases": {"get"},
    "/api/v1/cases/{case_id}": {"get"},
    "/api/v1/cases/{case_id}/journal": {"post"},
    "/api/v1/audit/events": {"get"},
    "/api/v1/children/reports": {"post"},
    "/api/v1/financial-assistance/calculations": {"post"},
    "/api/v1/fees/calculations": {"post"},
    "/api/v1/finance/runs": {"get", "post"},
    "/api/v1/finance/runs/{run_id}": {"get"},
    "/api/v1/care/cases/{case_id}/investigation": {"get"},
    "/api/v1/care/icf-codes": {"get"},
    "/api/v1/care/orders": {"get"},
    "/api/v1/care/orders/{order_id}": {"get"},
    "/api/v1/care/orders/{order_id}/messages": {"post"},
    "/api/v1/retention/culling/report": {"get"},
    "/api/v1/retention/journal-entries/{entry_id}/objections": {"get", "post"},
    "/api/v1/children/reports/{report_id}": {"get"},
}


def test_the_openapi_document_lists_every_path(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Sociala API"
    assert {path: set(ops) for path, ops in document["paths"].items()} == PATHS
    assert document["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}


def test_every_endpoint_but_the_token_needs_a_bearer_token(client, db):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            if path == "/api/v1/auth/token":
                assert "security" not in operation
            else:
                assert operation["security"] == [{"BearerToken": []}]
                assert {"200", "201"} & set(operation["responses"])
                assert {"401", "403", "404", "422"} <= set(operation["responses"])


def test_the_audit_filters_are_named_from_and_to(client, db):
    document = client.get("/api/v1/openapi.json").json()
    names = {p["name"] for p in document["paths"]["/api/v1/audit/events"]["get"]["parameters"]}
    assert names == {"person", "user", "from", "to", "is_emergency", "limit", "offset"}


def test_the_docs_page_is_served(client, db):
    assert client.get("/api/v1/docs").status_code == 200
