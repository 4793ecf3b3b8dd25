"""docker-compose.yml checked statically (no Docker daemon runs here)."""

import re
from pathlib import Path

import pytest
import yaml

from hiring_signals.settings import REPO_ROOT

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
AIRFLOW = {name: s for name, s in SERVICES.items() if name.startswith("airflow-")}
PINNED = re.compile(r"^[\w./-]+:(?!latest$)[\w.-]*\d[\w.-]*$")


def pyproject_pin(package: str) -> str:
    text = (REPO_ROOT / "pyproject.toml").read_text()
    return re.search(rf'"{package}==([^"]+)"', text).group(1)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_image_has_a_pinned_tag(name):
    assert PINNED.match(SERVICES[name]["image"]), SERVICES[name]["image"]


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_long_running_service_has_a_healthcheck(name):
    if SERVICES[name].get("restart") == "no":
        return
    check = SERVICES[name]["healthcheck"]["test"]
    assert check and check[0] in ("CMD", "CMD-SHELL")


def test_built_images_and_the_files_they_copy_exist():
    for service in SERVICES.values():
        build = service.get("build")
        if not build:
            continue
        context = REPO_ROOT / build["context"]
        dockerfile = context / build["dockerfile"]
        assert dockerfile.is_file(), dockerfile
        for line in dockerfile.read_text().splitlines():
            if line.startswith("COPY"):
                sources = [p for p in line.split()[1:-1] if not p.startswith("--")]
                for source in sources:
                    assert (context / source).exists(), f"{dockerfile}: {source}"


def test_volumes_are_declared_or_existing_paths():
    declared = set(COMPOSE.get("volumes", {}))
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (REPO_ROOT / source).exists(), f"{name}: {source}"
            else:
                assert source in declared, f"{name}: undeclared volume {source}"


def test_dependencies_name_real_services():
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in SERVICES, f"{name} depends on unknown {dependency}"


def test_airflow_services_share_one_configuration_that_points_at_real_services():
    environments = [s["environment"] for s in AIRFLOW.values()]
    assert all(env == environments[0] for env in environments)
    env = environments[0]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    hosts = {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": r"@([\w-]+):",
        "AIRFLOW__CELERY__RESULT_BACKEND": r"@([\w-]+):",
        "AIRFLOW__CELERY__BROKER_URL": r"//([\w-]+):",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": r"//([\w-]+):",
    }
    for variable, pattern in hosts.items():
        assert re.search(pattern, env[variable]).group(1) in SERVICES, variable
    assert env["AIRFLOW__API_AUTH__JWT_SECRET"] == env["AIRFLOW__API__SECRET_KEY"]
    commands = {str(s.get("command")) for s in AIRFLOW.values()}
    for role in ("api-server", "scheduler", "dag-processor", "triggerer", "celery worker"):
        assert role in commands, role
    assert "pools set duckdb_writer 1" in AIRFLOW["airflow-init"]["command"]


def test_airflow_image_matches_the_pinned_airflow_version():
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert f"apache/airflow:{pyproject_pin('apache-airflow')}-python3.11" in dockerfile
    assert "-c constraints.txt" in dockerfile


def test_superset_reads_the_warehouse_read_only():
    superset = SERVICES["superset"]
    url = superset["environment"]["HIRING_SIGNALS_DUCKDB_URL"]
    for setting in (
        "access_mode=read_only",
        "enable_external_access=false",
        "lock_configuration=true",
    ):
        assert setting in url
    data = [v for v in superset["volumes"] if v.startswith("hiring-data:")]
    assert data and all(v.endswith(":ro") for v in data)
    config = Path(REPO_ROOT / "bi" / "superset" / "superset_config.py").read_text()
    assert "SECRET_KEY = os.environ" in config


def test_superset_is_initialised_served_then_provisioned_from_one_image():
    init, serve, provision = (
        SERVICES[name] for name in ("superset-init", "superset", "superset-provision")
    )
    assert init["image"] == serve["image"] == provision["image"]
    assert serve["depends_on"]["superset-init"]["condition"] == "service_completed_successfully"
    assert provision["depends_on"]["superset"]["condition"] == "service_healthy"
    entrypoint = (REPO_ROOT / "bi" / "superset" / "entrypoint.sh").read_text()
    for service in (init, serve, provision):
        assert f"  {service['command']})" in entrypoint, service["command"]
    assert all(v.endswith(":ro") for v in provision["volumes"])
    dockerfile = (REPO_ROOT / "bi" / "superset" / "Dockerfile").read_text()
    assert "-r /app/requirements.txt -c /app/constraints.txt" in dockerfile


def test_superset_image_pins_the_pipelines_duckdb():
    requirements = (REPO_ROOT / "bi" / "superset" / "requirements.txt").read_text()
    assert f"duckdb=={pyproject_pin('duckdb')}" in requirements.splitlines()
