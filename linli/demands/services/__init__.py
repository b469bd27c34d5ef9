"""Every write to demands. ``grep demand_`` / ``assignment_`` lists the operations."""

from linli.demands.services.closing import (
    demand_callback,
    demand_close,
    demand_escalate,
    demand_rate_by_resident,
    demand_reopen,
)
from linli.demands.services.ending import demand_mark_invalid, demand_withdraw
from linli.demands.services.handling import (
    assignment_reply,
    assignment_return,
    assignment_return_decide,
    assignment_sign,
    extension_decide,
    extension_request,
)
from linli.demands.services.intake import demand_register, demand_resolve_at_intake
from linli.demands.services.routing import (
    demand_change_category,
    demand_dispatch,
    demand_merge,
    demand_redispatch,
)
from linli.demands.services.sla import sla_sweep
from linli.demands.services.submit import Once, Submitted, demand_submit

__all__ = [
    "Once",
    "Submitted",
    "assignment_reply",
    "assignment_return",
    "assignment_return_decide",
    "assignment_sign",
    "demand_callback",
    "demand_change_category",
    "demand_close",
    "demand_dispatch",
    "demand_escalate",
    "demand_mark_invalid",
    "demand_merge",
    "demand_rate_by_resident",
    "demand_redispatch",
    "demand_register",
    "demand_reopen",
    "demand_submit",
    "demand_resolve_at_intake",
    "demand_withdraw",
    "extension_decide",
    "extension_request",
    "sla_sweep",
]

from linli.demands.services.desk import (  # noqa: E402  (desk builds on the services above)
    assignment_progress,
    demand_callback_unreachable,
    demands_batch,
)

__all__ += ["assignment_progress", "demand_callback_unreachable", "demands_batch"]

from linli.demands.services.export_jobs import (  # noqa: E402
    export_job_start,
    export_jobs_run,
)

__all__ += ["export_job_start", "export_jobs_run"]

from linli.demands.services.nearby import demand_me_too  # noqa: E402

__all__ += ["demand_me_too"]
