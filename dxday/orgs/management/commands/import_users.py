from dxday.orgs.imports import UserImport

from ._import_base import ImportCommand


class Command(ImportCommand):
    help = "Import accounts with their roles from XLSX/CSV (dry run unless --save)."
    importer = UserImport
