"""Pages under /visits/: planning, the phone visit log, meetings, action items, designations, the report."""
