from dxday.orgs.imports import OrganisationImport

from ._import_base import ImportCommand


class Command(ImportCommand):
    help = "Import organisations from XLSX/CSV (dry run unless --save; all or nothing)."
    importer = OrganisationImport
