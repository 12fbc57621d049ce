"""The demo's readers and year of circulation, on SQLite and PostgreSQL: consistent, in the
report's proportions, resumable, and made of rows the circulation services work with."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.models import CirculationEvent, Loan, Transit
from wenjin.circulation.services import CheckinOutcome, checkin, checkout
from wenjin.circulation.states import LoanStatus, TransitStatus
from wenjin.db.types import utcnow
from wenjin.db.uow import UnitOfWork
from wenjin.demo.build import DemoProgress, DemoSummary, build_demo
from wenjin.demo.checks import circulation_problems
from wenjin.demo.history import AMNESTY_NAME, loan_target
from wenjin.demo.patrons import DEMO_PIN, patron_count
from wenjin.demo.scales import SCALES
from wenjin.fees.models import AmnestyWindow, Fee, Payment, Waiver
from wenjin.fees.states import FeeKind, FeeStatus
from wenjin.network.models import ServicePoint
from wenjin.patrons.identity import pin_matches
from wenjin.patrons.models import Patron, PatronCard, PatronCategory
from wenjin.patrons.queries import network_date, network_today
from wenjin.patrons.states import CardStatus

SMALL = SCALES["small"]


class Interrupt(Exception):
    pass


def test_a_build_interrupted_while_saving_its_year_finishes_consistent_for_the_services(
    engine: Engine,
) -> None:
    def stop_while_saving(progress: DemoProgress) -> None:
        if progress.phase == "saving" and progress.phase_done > 0:
            raise Interrupt

    with pytest.raises(Interrupt):
        build_demo(engine, scale=SMALL, on_progress=stop_while_saving)
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.scalar(select(func.count(Patron.id))) == patron_count(SMALL)
        assert uow.session.scalar(select(func.count(Loan.id))) == 0

    summary = build_demo(engine, scale=SMALL)
    figures = summary.circulation
    assert figures is not None
    assert build_demo(engine, scale=SMALL).circulation == figures  # nothing written twice
    assert figures.patrons == patron_count(SMALL)
    assert 0.85 * loan_target(SMALL) <= figures.loans_in_year <= 1.2 * loan_target(SMALL)
    assert figures.open_loans > figures.overdue > 0
    assert figures.fines_paid_fen > figures.fines_outstanding_fen > 0
    with UnitOfWork(engine, readonly=True) as uow:
        assert uow.session.scalar(select(func.count(AmnestyWindow.id))) == 1
        assert circulation_problems(uow.session, today=network_today()) == []

    # The generated rows are what the services expect: a demo loan is returned at a desk,
    # and the same reader borrows the book again on the card the demo gave them.
    with UnitOfWork(engine) as uow:
        s = uow.session
        loan = s.scalars(
            select(Loan)
            .where(Loan.status == LoanStatus.OPEN, Loan.due_on >= network_today())
            .order_by(Loan.id)
        ).first()
        assert loan is not None
        point = s.get(ServicePoint, loan.checkout_point_id)
        assert point is not None
        barcode, patron_id, card = loan.item.barcode, loan.patron_id, loan.card_number
        returned = checkin(s, at=point.code, barcode=barcode, actor="测试")
        assert returned.outcome is CheckinOutcome.RETURNED
        assert returned.loan_id == loan.id
        again = checkout(s, at=point.code, card_number=card, barcode=barcode, actor="测试")
        assert again.patron_id == patron_id
        uow.commit()
    with UnitOfWork(engine, readonly=True) as uow:
        assert circulation_problems(uow.session, today=network_today()) == []


# --- the shared small demo (SQLite) -------------------------------------------------------


def test_the_readers_are_in_the_reports_proportions_and_stored_as_the_services_store_them(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _ = built_demo
    with UnitOfWork(engine, readonly=True) as uow:
        s = uow.session
        by_category = Counter(
            dict(
                s.execute(
                    select(PatronCategory.code, func.count(Patron.id))
                    .join(Patron, Patron.category_id == PatronCategory.id)
                    .group_by(PatronCategory.code)
                ).all()
            )
        )
        patrons = s.scalars(select(Patron)).all()
        cards = s.scalars(select(PatronCard)).all()
        institutions = [p for p in patrons if p.category.institutional]
        individuals = [p for p in patrons if not p.category.institutional]
        assert by_category["ADULT"] > by_category["CHILD"] > by_category["MEDICAL"] > 0
        assert by_category["CREDIT"] > 0
        assert by_category["FIREFIGHTER"] >= 1
        assert institutions
        assert all(p.id_hash is None for p in institutions)
        assert all(p.id_masked and p.id_masked[:4] in ("3707", "3701", "3702") for p in individuals)
        assert all(len(p.id_hash or "") == 64 for p in individuals)
        assert all(
            p.phone and p.phone[:2] in ("13", "15", "18") and len(p.phone) == 11 for p in patrons
        )
        assert all(c.number.startswith("ZC") and len(c.number) == 10 for c in cards)
        assert len({p.pin_hash for p in patrons}) == 1
        assert pin_matches(patrons[0].pin_hash, DEMO_PIN)
        lost = [c for c in cards if c.status is CardStatus.LOST]
        assert all(c.ended_at is not None for c in lost)
        today = network_today()
        assert any(p.expires_on < today for p in patrons)  # some cards expired
        assert any(not p.keep_history for p in patrons)
        credit = [p for p in patrons if p.category.credit_based]
        assert all(p.credit_source and p.credit_verified_on for p in credit)
        assert all(not p.deposits for p in credit)
        paying = [p for p in individuals if p.category.deposit_fen and not p.category.credit_based]
        assert all(p.deposit_held_fen == p.category.deposit_fen for p in paying)
        seniors = [p for p in patrons if p.category.code == "SENIOR"]
        assert all(p.birth_date and p.birth_date.year <= today.year - 60 for p in seniors)
        children = [p for p in patrons if p.category.code == "CHILD"]
        assert all(p.birth_date and today.year - 15 <= p.birth_date.year for p in children)


def test_the_year_ends_today_with_loans_out_items_in_transit_and_money_accounted_for(
    built_demo: tuple[Engine, DemoSummary],
) -> None:
    engine, summary = built_demo
    assert summary.circulation is not None
    today = network_today()
    with UnitOfWork(engine, readonly=True) as uow:
        s = uow.session
        first, last = s.execute(
            select(func.min(Loan.checked_out_at), func.max(Loan.checked_out_at))
        ).one()
        assert network_date(first) >= today - timedelta(days=366)
        assert network_date(last) < today
        assert s.scalar(select(func.max(CirculationEvent.at))) <= utcnow()
        actors = set(s.scalars(select(CirculationEvent.actor).distinct()))
        assert actors == {"demo"}
        actions = Counter(
            dict(
                s.execute(
                    select(CirculationEvent.action, func.count()).group_by(CirculationEvent.action)
                ).all()
            )
        )
        for action in ("checkout", "checkin", "renew", "transit_created", "transit_sent",
                       "transit_received", "fee_charged", "fee_paid"):  # fmt: skip
            assert actions[action] > 0, action
        statuses = Counter(
            dict(s.execute(select(Item.status, func.count()).group_by(Item.status)).all())
        )
        assert statuses[ItemStatus.ON_LOAN] == summary.circulation.open_loans
        assert statuses[ItemStatus.IN_TRANSIT] == summary.circulation.in_transit
        kinds = Counter(s.scalars(select(Fee.kind)))
        assert kinds[FeeKind.OVERDUE] > 0
        fee_states = Counter(s.scalars(select(Fee.status)))
        assert fee_states[FeeStatus.PAID] > fee_states[FeeStatus.OPEN] > 0
        receipts = s.scalars(select(Payment.receipt_number)).all()
        assert all(r.startswith("JF-") and len(r) == 18 for r in receipts)
        window = s.scalars(select(AmnestyWindow)).one()
        assert window.name == AMNESTY_NAME
        amnesty = s.scalars(select(Waiver).where(Waiver.amnesty_window_id == window.id)).all()
        assert all(window.starts_on <= network_date(w.at) <= window.ends_on for w in amnesty)
        self_service = s.scalar(select(ServicePoint.id).where(ServicePoint.code == "ZX-24H"))
        assert s.scalar(select(func.count(Loan.id)).where(Loan.checkout_point_id == self_service))
        transits = s.scalars(select(Transit)).all()
        assert all(t.status in (TransitStatus.IN_TRANSIT, TransitStatus.RECEIVED) for t in transits)
        elsewhere = s.scalar(
            select(func.count(Loan.id)).where(Loan.return_point_id != Loan.checkout_point_id)
        )
        assert elsewhere
