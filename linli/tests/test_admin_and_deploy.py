"""The configuration back office in Chinese, and the production settings pass Django's deployment check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_admin_lists_the_configuration_tables_in_chinese(world):
    client = Client()
    client.force_login(world.user("admin"))
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    for table in ("行政区划", "单位", "工作人员", "诉求分类", "派单目录", "办理时限", "节假日"):
        assert table in html, table
    assert "配置管理" in html


def test_the_deployment_check_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 30 + "-production-secret-for-the-check-" + "y" * 20,
        "ALLOWED_HOSTS": "linli.example.gov.cn",
        "LINLI_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
