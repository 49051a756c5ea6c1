"""`folio import`: turn collected article page dumps into CONTENT.md article files.

Input formats are readers (`readers/`) that each produce one `ImportedArticle`; the
writer turns that record into the contract file; the batch decides what happens to
every input. The importer is never called by the build.
"""

from generator.importer.convert import convert
from generator.importer.record import ArticleImportError, ImportedArticle, Origin
from generator.importer.writer import read_back, render

__all__ = ["ArticleImportError", "ImportedArticle", "Origin", "convert", "read_back", "render"]
