"""The spreadsheet template to fill for a new conference (read back by results/spreadsheet.py)."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from results.models import Conference, Kind, Licence
from results.spreadsheet import MAX_ROWS, SHEETS, licence_short


@require_safe
def template_view(request, conf=None):
    """The template to fill, as a download: in the admin and at /<conf>/daten/vorlage.xlsx."""
    if conf is not None:
        get_object_or_404(Conference, slug=conf)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="vorlage-konferenz.xlsx"'
    write_template(response)
    return response


def write_template(stream):
    """The workbook to fill: a sheet per part, German headers, drop-down lists, an example row each."""
    examples = {
        "conference": [
            "Regionalkonferenz Beispielstadt",
            "",
            datetime.date(2027, 3, 18),
            "Stadthalle",
            "Beispielstadt",
        ],
        "stations": [1, "Was läuft gut? Wo hakt es?"],
        "tables": [1, "Wohnen"],
        "cards": ["", 1, 1, "gut", "Was läuft gut?", "", 1, "Gute Zusammenarbeit mit dem Jobcenter"],
    }
    licences = [str(Licence.NONE.label)] + [licence_short(label) for code, label in Licence.choices if code]
    workbook = Workbook()
    workbook.remove(workbook.active)
    with translation.override("de"):
        lists = {
            "kind": '"' + ",".join(Kind.values) + '"',
            "table": f"={SHEETS['tables'][0]}!$A$2:$A$500",  # the numbers typed into the tables sheet
            "station": f"={SHEETS['stations'][0]}!$A$2:$A$100",
            "licence": '"' + ",".join(licences) + '"',
        }
        for key, (label, columns) in SHEETS.items():
            sheet = workbook.create_sheet(str(label))
            sheet.append([str(title) for _name, title, _required in columns])
            sheet.append(examples[key])
            sheet.freeze_panes = "A2"
            for index, (name, title, _required) in enumerate(columns, start=1):
                letter = get_column_letter(index)
                sheet[f"{letter}1"].font = Font(bold=True)
                sheet.column_dimensions[letter].width = 60 if name in {"text", "question", "title"} else len(title) + 6
                if name in lists:
                    validation = DataValidation(type="list", formula1=lists[name], allow_blank=True)
                    sheet.add_data_validation(validation)
                    validation.add(f"{letter}2:{letter}{MAX_ROWS}")
            if key == "conference":
                sheet["C2"].number_format = "DD.MM.YYYY"
    workbook.save(stream)
