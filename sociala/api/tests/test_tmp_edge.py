def test_edges(api, world):
    big = "9" * 30
    for path, as_, params in [
        (f"/persons/{big}", "handlaggare.ifo", {}),
        (f"/cases/{big}", "handlaggare.ifo", {}),
        ("/audit/events", "revisor", {"person": big}),
        ("/audit/events", "revisor", {"user": "9" * 19}),
        ("/persons", "handlaggare.ifo", {"offset": "9" * 19}),
        ("/audit/events", "revisor", {"from": "0001-01-01", "to": "9999-12-31"}),
        ("/persons", "handlaggare.ifo", {"q": "\x00"}),
    ]:
        try:
            r = api.get(path, as_, **params)
            print(path, params, r.status_code, r.content[:200])
        except Exception as e:
            print(path, params, "EXC", type(e), e)
    r = api.post(f"/cases/{big}/journal", "handlaggare.ifo", {"category": "contact", "text": "x"})
    print(r.status_code, r.content[:200])
    r = api.client.post(
        f"/api/v1/cases/{world.anna_case.pk}/journal",
        "not json",
        content_type="application/json",
        **api.headers("handlaggare.ifo"),
    )
    print(r.status_code, r.content[:300])
    r = api.post(
        f"/cases/{world.anna_case.pk}/journal", "handlaggare.ifo", {"category": "contact", "text": "x\x00y"}
    )
    print(r.status_code, r.content[:300])
