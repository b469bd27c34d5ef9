"""The staff map: the demands a person may see, with community boundaries shaded by open demands (hotspots)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from linli.demands.map_selectors import open_counts_by_community, staff_map_points
from linli.ui.pages import map_settings, staff_page


@staff_page()
def demand_map(request):
    return render(request, "demands/map.html", map_settings())


@staff_page()
def demand_map_points(request):
    """Positions and per-community counts as JSON (only what this person may see)."""
    data = {
        "points": staff_map_points(user=request.user),
        "counts": open_counts_by_community(user=request.user),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
