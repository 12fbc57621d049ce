"""The demo's readers and year of circulation as a part of the build, and what they amount to.

:func:`add_readers_and_year` is what :func:`wenjin.demo.build.build_demo` calls once
the catalogue is in; :func:`circulation_figures` is what its summary prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from wenjin.circulation.models import CirculationEvent, Loan, Transit
from wenjin.circulation.states import CirculationAction, LoanStatus, TransitStatus
from wenjin.db.uow import UnitOfWork
from wenjin.demo.history import YEAR_DAYS, simulate_year
from wenjin.demo.history_rows import history_is_saved, save_history
from wenjin.demo.network import SELF_SERVICE, DemoNetwork
from wenjin.demo.patrons import (
    DEMO_PIN,
    attach_ids,
    generate_patrons,
    local_moment,
    patrons_are_saved,
    save_patrons,
)
from wenjin.demo.scales import Scale
from wenjin.fees.models import Fee
from wenjin.network.models import ServicePoint
from wenjin.patrons.identity import hash_pin
from wenjin.patrons.models import Patron, PatronCategory


@dataclass(frozen=True)
class CirculationFigures:
    """The demo's readers and its year of circulation, as the summary prints them."""

    patrons: int
    loans_in_year: int
    self_service_loans: int
    open_loans: int
    overdue: int
    in_transit: int
    fines_charged_fen: int
    fines_paid_fen: int
    fines_waived_fen: int
    fines_outstanding_fen: int


def circulation_figures(session: Session, *, today: date) -> CirculationFigures:
    year_start = local_moment(today - timedelta(days=YEAR_DAYS), 0)
    self_service = session.scalar(select(ServicePoint.id).where(ServicePoint.code == SELF_SERVICE))
    checkouts = (
        select(func.count(CirculationEvent.id))
        .where(CirculationEvent.action == CirculationAction.CHECKOUT.value)
        .where(CirculationEvent.at >= year_start)
    )
    fines = session.execute(
        select(
            func.coalesce(func.sum(Fee.amount_fen), 0),
            func.coalesce(func.sum(Fee.paid_fen), 0),
            func.coalesce(func.sum(Fee.waived_fen), 0),
            func.coalesce(
                func.sum(Fee.amount_fen - Fee.paid_fen - Fee.waived_fen - Fee.cancelled_fen), 0
            ),
        )
    ).one()
    return CirculationFigures(
        patrons=session.scalar(select(func.count(Patron.id))) or 0,
        loans_in_year=session.scalar(checkouts) or 0,
        self_service_loans=session.scalar(
            checkouts.where(CirculationEvent.point_id == self_service)
        )
        or 0,
        open_loans=session.scalar(select(func.count(Loan.id)).where(Loan.status == LoanStatus.OPEN))
        or 0,
        overdue=session.scalar(
            select(func.count(Loan.id)).where(Loan.status == LoanStatus.OPEN, Loan.due_on < today)
        )
        or 0,
        in_transit=session.scalar(
            select(func.count(Transit.id)).where(Transit.status == TransitStatus.IN_TRANSIT)
        )
        or 0,
        fines_charged_fen=int(fines[0]),
        fines_paid_fen=int(fines[1]),
        fines_waived_fen=int(fines[2]),
        fines_outstanding_fen=int(fines[3]),
    )


# --- the two phases of the build ----------------------------------------------------------

ProgressCallback = Callable[[str, int, int], None]


def add_readers_and_year(
    engine: Engine,
    network: DemoNetwork,
    *,
    scale: Scale,
    seed: int,
    today: date,
    on_progress: ProgressCallback | None = None,
) -> bool:
    """After the catalogue: save the readers, then simulate and save the year before ``today``.

    Each phase is one transaction, and each knows it is in by a row it writes
    (the last reader's card, the year's amnesty window), so an interrupted build
    run again skips what was committed and never writes anything twice. Returns
    whether anything was written. ``on_progress(phase, done, total)`` is called
    with the phases ``patrons`` (rows), ``history`` (days) and ``saving`` (rows).
    """

    def progress(phase: str, done: int, total: int) -> None:
        if on_progress is not None:
            on_progress(phase, done, total)

    with UnitOfWork(engine, readonly=True) as uow:
        categories = list(uow.session.scalars(select(PatronCategory)))
        plan = generate_patrons(network, scale=scale, seed=seed, today=today, categories=categories)
        patrons_in = patrons_are_saved(uow.session, plan)
        year_in = history_is_saved(uow.session)
    if patrons_in and year_in:
        return False
    rows = len(plan.patrons)
    if patrons_in:
        with UnitOfWork(engine, readonly=True) as uow:
            attach_ids(uow.session, plan)
    else:
        written = 0

        def on_patron_rows(count: int) -> None:
            nonlocal written
            written += count
            progress("patrons", min(written, rows), rows)

        with UnitOfWork(engine) as uow:
            # One hash for every demo reader: see save_patrons.
            save_patrons(uow.session, plan, pin_hash=hash_pin(DEMO_PIN), on_rows=on_patron_rows)
            uow.commit()
        progress("patrons", rows, rows)
    if year_in:
        return True
    with UnitOfWork(engine) as uow:
        history = simulate_year(
            uow.session,
            plan,
            scale=scale,
            seed=seed,
            today=today,
            on_day=lambda day: progress("history", day, YEAR_DAYS),
        )
        total = (
            len(history.loans)
            + len(history.transits)
            + len(history.fees)
            + len(history.payments)
            + len(history.allocations)
            + len(history.waivers)
            + len(history.events)
            + len(history.items)
        )
        saved = 0

        def on_saved_rows(count: int) -> None:
            nonlocal saved
            saved += count
            progress("saving", min(saved, total), total)

        save_history(uow.session, history, on_rows=on_saved_rows)
        uow.commit()
    progress("saving", total, total)
    return True
