"""Celery entry points of people: ids in, one service call each."""

from contextlib import contextmanager

from celery import shared_task

from accounts.models import DataRequest

from .data_requests import erase_person, export_person_data, forget_expired_exports


@contextmanager
def _failing_as_failed(data_request: DataRequest):
    """A defect shows as "failed" on the person page (a lost connection is retried instead)."""
    try:
        yield
    except ConnectionError:
        raise
    except Exception:
        DataRequest.objects.filter(pk=data_request.pk).update(status=DataRequest.Status.FAILED)
        raise


def _request(request_id: int, kind: str) -> DataRequest | None:
    return (
        DataRequest.objects.select_related("tenant", "person", "placeholder")
        .filter(pk=request_id, kind=kind)
        .first()
    )


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def export_person_data_task(request_id: int) -> None:
    data_request = _request(request_id, DataRequest.Kind.EXPORT)
    if data_request is not None:  # gone: the person was erased meanwhile
        with _failing_as_failed(data_request):
            export_person_data(data_request)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def erase_person_task(request_id: int) -> None:
    data_request = _request(request_id, DataRequest.Kind.ERASE)
    if data_request is not None:
        with _failing_as_failed(data_request):
            erase_person(data_request)


@shared_task
def forget_expired_exports_task() -> int:
    return forget_expired_exports()
