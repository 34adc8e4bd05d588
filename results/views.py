from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from results.models import Conference, ThemeTable


@require_safe
def home(request):
    return render(request, "results/home.html", {"conferences": Conference.objects.all()})


@require_safe
def conference(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    tables = ThemeTable.objects.filter(conference=conference).with_station_counts()
    return render(request, "results/conference.html", {"conference": conference, "tables": tables})


@require_safe
def table_short(request, conf, number):
    table = get_object_or_404(ThemeTable, conference__slug=conf, number=number)
    return redirect(table, permanent=True)


@require_safe
def table(request, conf, slug):
    table = get_object_or_404(ThemeTable.objects.select_related("conference"), conference__slug=conf, slug=slug)
    return render(request, "results/table.html", {"conference": table.conference, "table": table})


@require_safe
def station(request, conf, number):
    raise NotImplementedError
