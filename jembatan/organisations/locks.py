"""Row locks of the organisations app (house rule 5): one function per locked model.

A service locks the row it is about to change (``select_for_update``) inside its
transaction and only then checks it: two requests at once are served one after
the other, and the second sees what the first wrote (a double-clicked "grant"
makes one decision, two simultaneous applications one draft).
"""

from __future__ import annotations

from jembatan.organisations.models import ContactPerson, Licence, Organisation


def lock_organisation(pk: int) -> Organisation:
    """The organisation ``pk``, locked until the transaction ends."""
    return Organisation.objects.select_for_update().get(pk=pk)


def lock_licence(pk: int) -> Licence:
    """The licence ``pk``, locked until the transaction ends, with its organisation read along."""
    return Licence.objects.select_for_update().select_related("organisation").get(pk=pk)


def lock_contact_person(pk: int) -> ContactPerson:
    """The contact person ``pk``, locked until the transaction ends."""
    return ContactPerson.objects.select_for_update().get(pk=pk)
