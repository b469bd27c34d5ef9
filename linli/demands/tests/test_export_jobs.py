"""Large exports in the background: made as the person who asked, downloadable by them only."""

import io

import pytest
from openpyxl import load_workbook

from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.desk_selectors import export_job_get, export_job_list
from linli.demands.models import ExportJob
from linli.demands.selectors import DemandFilters
from linli.demands.tests import factories as df


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def test_a_queued_export_is_made_with_progress_and_the_owners_masking(world, media):
    for i in range(3):
        df.registered(world, text=f"第{i}件：路灯不亮", phone=f"1390000{i:04d}")
    job = s.export_job_start(user=world.user("worker"), filters=DemandFilters(q="路灯"), fmt="xlsx")
    assert (job.state, job.total) == ("queued", 3)
    assert s.export_jobs_run() == {"made": 1, "removed": 0}
    job = export_job_get(user=world.user("worker"), job_id=job.pk)
    assert (job.state, job.done_rows) == ("done", 3)
    sheet = load_workbook(io.BytesIO(job.file.read())).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3
    assert all("****" in str(r[-1]) for r in rows)  # a community worker sees phones masked
    assert s.export_jobs_run() == {"made": 0, "removed": 0}


def test_only_the_owner_sees_a_job_and_csv_follows_their_jurisdiction(world, media):
    df.registered(world, text="金榕社区的件")
    df.registered(world, text="别的社区的件", community_id=world.other_community.pk)
    job = s.export_job_start(user=world.user("worker"), filters=DemandFilters(), fmt="csv")
    s.export_jobs_run()
    with pytest.raises(ApplicationError) as other:
        export_job_get(user=world.user("agent"), job_id=job.pk)
    assert other.value.status == 404
    text = export_job_get(user=world.user("worker"), job_id=job.pk).file.read().decode("utf-8-sig")
    assert "金榕社区的件" in text and "别的社区的件" not in text
    assert [j.pk for j in export_job_list(user=world.user("worker"))] == [job.pk]
    assert list(export_job_list(user=world.user("agent"))) == []


def test_bad_format_and_too_many_waiting_jobs_are_refused(world, media):
    with pytest.raises(ApplicationError) as bad:
        s.export_job_start(user=world.user("agent"), filters=DemandFilters(), fmt="pdf")
    assert bad.value.status == 422
    for _ in range(3):
        s.export_job_start(user=world.user("agent"), filters=DemandFilters(), fmt="csv")
    with pytest.raises(ApplicationError) as busy:
        s.export_job_start(user=world.user("agent"), filters=DemandFilters(), fmt="csv")
    assert busy.value.code == "export.too_many_jobs"
    assert ExportJob.objects.filter(user=world.user("agent")).count() == 3
