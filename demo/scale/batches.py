"""Rows go in with `bulk_create`, a batch at a time."""

BATCH = 2000  # rows per INSERT


def bulk(model, rows, *, batch_size=BATCH):
    return model.objects.bulk_create(rows, batch_size=batch_size)
