"""The dbt documentation describes every published mart and every column it really has."""

import json

import pytest

pytestmark = pytest.mark.slow


def is_mart(node: dict) -> bool:
    return node["resource_type"] == "model" and node["original_file_path"].startswith(
        "models/marts/"
    )


def test_every_published_mart_column_has_a_description(published):
    settings = published
    # `run` ends with `dbt docs generate`, written where warehouse.run_dbt points dbt.
    target = settings.data_dir / "dbt" / "target"
    assert (target / "catalog.json").exists(), "dbt docs generate wrote no catalog.json"
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    marts = {uid: node for uid, node in manifest["nodes"].items() if is_mart(node)}
    assert marts, "the manifest has no models under models/marts/"

    unbuilt = sorted(marts[uid]["name"] for uid in marts if uid not in catalog["nodes"])
    assert not unbuilt, f"marts missing from the catalog (not built?): {', '.join(unbuilt)}"
    undocumented = []
    for uid, node in sorted(marts.items()):
        if not node["description"].strip():
            undocumented.append(node["name"])
        columns = node["columns"].items()
        described = {name.lower() for name, column in columns if column["description"].strip()}
        # The catalog lists the columns the built table actually has, documented or not.
        actual = catalog["nodes"][uid]["columns"].values()
        for column in sorted(actual, key=lambda c: c["index"]):
            if column["name"].lower() not in described:
                undocumented.append(f"{node['name']}.{column['name']}")

    assert not undocumented, (
        f"{len(undocumented)} marts or mart columns have no description in "
        f"dbt_project/models/marts/_marts__models.yml:\n  " + "\n  ".join(undocumented)
    )
