"""Seek (keyset) pagination for the case list's deep pages, with page links that keep working.

Django's Paginator, and django-tables2's (its LazyPaginator too, which only skips the count),
read page M with OFFSET (M-1)×25: the database reads and drops every row before it, so page
1,050 of a big city's closed cases took 200 ms where page 1 took 1 ms. Here each page link near
the current page carries an anchor (`from`): the sort values and key of the current page's last
row (links forward) or first row (links back). Page M is then read by seeking from that row
(WHERE (sort…, pk) > (anchor) … LIMIT 25, past only the pages in between). A page without an
anchor (typed, bookmarked, or an anchor made for another sort) is read from the nearer end of
the list, so the last page costs what the first does. Page numbers, the count and every link
stay as they were; only which rows a stale anchor finds may shift, as the list itself changes.

Only orderings on columns that are never NULL can seek (NULL compares as unknown); any other
sort is read with OFFSET as before. Rows are always ordered by their key last, so no two pages
share a row and none is skipped among ties."""

import base64
import binascii
import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django_tables2.rows import BoundRows

FORWARD, BACK = "a", "b"  # an anchor is the last row of its page (after), or the first (before)


def _field(model, path):
    """The concrete field at the end of `path` (school__name), or None if any step may be
    NULL or is not a plain column."""
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not field.concrete or field.null:
            return None
        if field.is_relation:
            model = field.related_model
    return None if field is None or field.is_relation else field


class SeekPaginator(Paginator):
    """A Paginator over django-tables2's rows (a queryset's) that seeks from an anchor."""

    def __init__(self, object_list, per_page, anchor=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        table_data = object_list.data
        queryset = table_data.data
        ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
        ordering = [o for o in ordering if o not in ("pk", "-pk")]
        self.terms = []  # (path, descending, field) of each sort column, then the key
        for term in ordering:
            field = _field(queryset.model, term.lstrip("-")) if isinstance(term, str) else None
            if field is None:
                self.terms = None
                break
            self.terms.append((term.lstrip("-"), term.startswith("-"), field))
        if all(isinstance(term, str) for term in ordering):
            # The key last: ties (many cases share a day) fall in one order on every page.
            table_data.data = queryset = queryset.order_by(*ordering, "pk")
        else:
            self.terms = None
        self.queryset = queryset
        if self.terms is not None:
            self.terms.append(("pk", False, queryset.model._meta.pk))
        self.anchor = self._decode(anchor)

    # --- Anchors ---------------------------------------------------------------------------

    def _signature(self):
        return [[path, descending] for path, descending, _field in self.terms]

    def anchor_of(self, page, side):
        """The `from` value of links leaving `page` forward (FORWARD) or back (BACK)."""
        if self.terms is None or not page.object_list.data:
            return None
        records = list(page.object_list.data)
        record = records[-1] if side == FORWARD else records[0]
        values = []
        for path, _descending, field in self.terms:
            value = record
            for part in path.split("__"):
                value = getattr(value, part)
            values.append(field.value_to_string(_Holder(field, value)))
        data = json.dumps([self._signature(), values], separators=(",", ":"))
        return f"{page.number}{side}{base64.urlsafe_b64encode(data.encode()).decode()}"

    def _decode(self, anchor):
        if self.terms is None or not anchor:
            return None
        try:
            digits = len(anchor) - len(anchor.lstrip("0123456789"))
            number, side, data = int(anchor[:digits]), anchor[digits], anchor[digits + 1 :]
            signature, values = json.loads(base64.urlsafe_b64decode(data.encode()))
            if side not in (FORWARD, BACK) or signature != self._signature():
                return None
            values = [f.to_python(v) for (_p, _d, f), v in zip(self.terms, values, strict=True)]
        except (ValueError, IndexError, TypeError, binascii.Error, ValidationError):
            return None
        return number, side, values

    # --- Pages -----------------------------------------------------------------------------

    def page(self, number):
        number = self.validate_number(number)
        if self.terms is None or self.orphans:
            return super().page(number)
        table = self.object_list.table
        return self._get_page(BoundRows(self._records(number), table=table), number, self)

    def _records(self, number):
        """Page `number`'s rows, from whichever is nearest: the start, the end or the anchor."""
        size, count = self.per_page, self.count
        start, end = (number - 1) * size, min(number * size, count)
        ways = [(start, lambda: self.queryset[start:end])]
        reverse = self._ordered(reverse=True)
        ways.append((count - end, lambda: self._backwards(reverse[count - end : count - start])))
        if self.anchor:
            at, side, values = self.anchor
            if side == FORWARD and number > at:
                skip = start - at * size
                after = self.queryset.filter(self._beyond(values, reverse=False))
                ways.append((skip, lambda: after[skip : skip + size]))
            elif side == BACK and number < at:
                skip = (at - 1) * size - end
                before = reverse.filter(self._beyond(values, reverse=True))
                ways.append((skip, lambda: self._backwards(before[skip : skip + end - start])))
        _rows_passed, read = min(ways, key=lambda way: way[0])
        return list(read())

    def _ordered(self, *, reverse):
        if not reverse:
            return self.queryset
        return self.queryset.order_by(
            *(
                f"{'' if descending == reverse else '-'}{path}"
                for path, descending, _f in self.terms
            )
        )

    @staticmethod
    def _backwards(queryset):
        return list(queryset)[::-1]

    def _beyond(self, values, *, reverse):
        """The rows after the anchor's values in the list's order (before them: `reverse`)."""
        condition, equal = Q(), {}
        for (path, descending, _field), value in zip(self.terms, values, strict=True):
            greater = descending == reverse
            condition |= Q(**equal, **{f"{path}__{'gt' if greater else 'lt'}": value})
            equal[path] = value
        # The same bound on the first column alone, which an index can start from (the
        # alternatives above only filter the rows it reads).
        path, descending, _field = self.terms[0]
        return Q(**{f"{path}__{'gte' if descending == reverse else 'lte'}": values[0]}) & condition


class _Holder:
    """Lets Field.value_to_string read a value that is not on a model instance of its own."""

    def __init__(self, field, value):
        setattr(self, field.attname, value)
