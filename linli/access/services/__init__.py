"""Every write of the access app."""

from linli.access.services.catalogue import (  # noqa: F401
    catalogue_draft_create,
    catalogue_import_xlsx,
    catalogue_item_remove,
    catalogue_item_save,
    catalogue_version_publish,
    draft_get_or_create,
)
from linli.access.services.community import (  # noqa: F401
    cadre_count_set,
    certificate_issue_record,
    certificate_save,
    plaque_hang,
    plaque_remove,
    plaque_type_save,
    task_outside_record,
    task_refuse,
    task_report,
)
from linli.access.services.gate import (  # noqa: F401
    approval_sweep,
    request_decide,
    request_file,
    request_opinion_add,
)
