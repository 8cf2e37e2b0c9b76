"""A closed benefit survey's results as a file (XLSX, CSV), for HR and the coaches who may
read them on the results page (evaluations.survey_views), by the same rules: only once the
survey has closed with at least 5 answers, only the groups the page shows (small ones
merged, reports.disclosure), and every export in the access log.

The answers to the open question are never in a file. The page shows them as an unnamed
list; a file, once downloaded, is mailed on and kept where the portal's gallring (free text
deleted after a few years) and a person's erasure cannot reach it, can be sorted and put
beside other lists, and a text can give away who wrote it however it is listed. The page
stays the one place to read them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluations import survey_selectors as surveys
from evaluations.models import Survey
from evaluations.survey_selectors import SurveyResults
from reports import exports, services
from reports.models import ReportAccess
from reports.tables import Column, Table

REPORT = "nyttoenkat"


class SurveyFile:
    """What the top of the file says about the survey, and what the access log keeps."""

    def __init__(self, survey: Survey, results: SurveyResults) -> None:
        self.survey, self.results = survey, results

    def describe(self) -> list[tuple[str, str]]:
        survey = self.survey
        closed = survey.last_day
        return [
            (_("Survey"), survey.title),
            (
                _("For"),
                survey.programme.name
                if survey.programme
                else _("Every manager in the municipality"),
            ),
            (
                _("Open during"),
                f"{formats.date_format(survey.opens_on, 'j F Y')} – "
                f"{formats.date_format(closed, 'j F Y')}",
            ),
            (
                _("Answered"),
                _("%(answered)d of %(invited)d asked")
                % {"answered": self.results.answered, "invited": self.results.invited},
            ),
        ]

    def for_log(self) -> dict:
        return {"survey": self.survey.pk}


def survey_table(results: SurveyResults) -> Table:
    """One row per group and statement: the whole survey first (with how many gave each
    rating), then each förvaltning, unit and merged group the page shows, then each
    programme it shows."""
    columns = [
        Column(_("Group"), "text"),
        Column(_("Answers"), "count"),
        Column(_("Statement"), "text"),
        Column(_("Average (1–5)"), "average"),
        *(Column(str(rating), "count") for rating in range(1, 6)),
    ]
    texts = [s.text for s in results.statements]
    rows = [
        [
            _("Everyone who answered"),
            results.answered,
            statement.text,
            statement.average,
            *(answers for _rating, answers in statement.distribution),
        ]
        for statement in results.statements
    ]
    for row in results.rows:
        rows += [
            [row.label, row.answered, text, average, *([None] * 5)]
            for text, average in zip(texts, row.averages, strict=True)
        ]
    for row in results.programme_rows:
        label = _("Programme: %(name)s") % {"name": row.label}
        rows += [
            [label, row.answered, text, average, *([None] * 5)]
            for text, average in zip(texts, row.averages, strict=True)
        ]
    return Table("nyttoenkat", _("Benefit survey results"), columns, rows)


@require_safe
def survey_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in exports.WRITERS:
        raise Http404
    if not surveys.can_manage_surveys(request.user):
        raise PermissionDenied
    survey = surveys.survey_get_visible_to(request.user, pk)
    if survey is None:
        raise Http404
    results = surveys.survey_results(survey)
    if not results.shown:
        messages.error(
            request,
            _(
                "The results can be downloaded once the survey has closed with at least "
                "%(count)d answers."
            )
            % {"count": surveys.MIN_ANSWERS},
        )
        return redirect("evaluations:survey-detail", pk=survey.pk)
    described = SurveyFile(survey, results)
    content = exports.WRITERS[fmt](survey_table(results), described)
    services.access_log(
        user=request.user,
        action=ReportAccess.Action.EXPORT,
        report=REPORT,
        filters=described,
        file_format=fmt,
    )
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="ledarskap-nyttoenkat-{survey.pk}-{stamp}.{fmt}"'
    )
    return response
