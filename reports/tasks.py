from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from reports.cache import cached_dashboard, cached_effekt
from reports.forms import EffektFilterForm, ReportFilterForm
from reports.start_figures import same_days_last_year, start_figures, year_to_date


@shared_task(ignore_result=True)
def refresh_dashboard() -> None:
    """Count the dashboard's default view again before the kept one runs out, and the two
    periods HR's start page compares (this year so far, the same days last year), and make
    the start page's figures of them (coverage too), so that HR's first look at either page
    is not the one that waits for the count (see reports.cache and reports.start_figures);
    and the Effekt view's default choices."""
    form = ReportFilterForm({})
    form.is_valid()
    today = timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        for filters in (form.filters(), year_to_date(today), same_days_last_year(today)):
            cached_dashboard(filters, refresh=True)
        start_figures(today)
        effekt_form = EffektFilterForm({})
        effekt_form.is_valid()
        cached_effekt(effekt_form.filters(), refresh=True)
