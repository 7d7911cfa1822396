"""CSV files people download: one way to start them, so that every export opens right.

Excel and LibreOffice read a CSV without a byte-order mark in the system's legacy code page
(Windows-1255 on a Hebrew desktop), turning Hebrew names into mojibake; with UTF-8's BOM
(Python's ``utf-8-sig``) they read it as UTF-8.
"""

from __future__ import annotations

import codecs
import csv

from django.http import HttpResponse


def csv_download(filename: str):
    """An attachment response that starts with the BOM, and a csv writer into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(codecs.BOM_UTF8)
    return response, csv.writer(response)
