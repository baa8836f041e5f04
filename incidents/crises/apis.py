"""Crisis API: declare a crisis, list the visible ones, one crisis with its counts (no personal data)."""

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.crises.models import CallbackTask, ClaimedStatus, CrisisEvent, EventKindChoice, MatchProposal, NoteSource
from incidents.crises.selectors import event_counts, event_get_for, event_list_visible_to
from incidents.crises.services import (
    EventInput,
    InquiryInput,
    NoteInput,
    callback_done,
    event_declare,
    inquiry_record,
    note_add,
    proposal_confirm,
    proposal_reject,
)
from incidents.exceptions import CrisisNotFound
from safety.api.fields import UTCDateTimeField
from safety.api.idempotency import IdempotentCreateMixin
from safety.auth.users import request_user
from safety.models import AuditAction
from safety.privacy.audit import audit_record
from safety.privacy.masking import MaskedCharField, MaskedDateField, mask_passport, mask_phone


class EventOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name_ko = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    starts_at = UTCDateTimeField()
    ends_at = UTCDateTimeField(allow_null=True)
    radius_km = serializers.FloatField(allow_null=True)
    centre = serializers.SerializerMethodField()
    area = serializers.SerializerMethodField()
    missions = serializers.SerializerMethodField()

    def get_centre(self, obj: CrisisEvent) -> list[float] | None:
        return list(obj.centre.coords) if obj.centre is not None else None

    def get_area(self, obj: CrisisEvent) -> dict[str, Any]:
        import json

        return dict(json.loads(obj.area.geojson))

    def get_missions(self, obj: CrisisEvent) -> list[str]:
        return sorted(m.code for m in obj.missions.all())


class EventDetailOutputSerializer(EventOutputSerializer):
    counts = serializers.SerializerMethodField()

    def get_counts(self, obj: CrisisEvent) -> dict[str, Any]:
        return event_counts(obj)


class EventListCreateApi(IdempotentCreateMixin, APIView):
    class CrisisDeclareInputSerializer(serializers.Serializer):
        name_ko = serializers.CharField(max_length=200)
        name_en = serializers.CharField(max_length=200)
        kind = serializers.ChoiceField(choices=EventKindChoice.choices)
        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField(required=False, allow_null=True)
        polygon = serializers.JSONField(required=False, allow_null=True)
        centre = serializers.ListField(
            child=serializers.FloatField(), min_length=2, max_length=2, required=False, allow_null=True
        )
        radius_km = serializers.FloatField(required=False, allow_null=True)
        missions = serializers.ListField(child=serializers.SlugField(max_length=60), required=False)

    @extend_schema(operation_id="crises_list", responses={200: EventOutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        events = event_list_visible_to(user=request.user)
        return Response(EventOutputSerializer(events, many=True).data)

    @extend_schema(
        operation_id="crises_declare",
        request=CrisisDeclareInputSerializer,
        responses={201: EventDetailOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.CrisisDeclareInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        polygon = data.get("polygon")
        if polygon is not None and not isinstance(polygon, dict):
            raise serializers.ValidationError({"polygon": ["a GeoJSON Polygon object"]})
        centre = data.get("centre")
        event = event_declare(
            actor=request_user(request),
            data=EventInput(
                name_ko=data["name_ko"],
                name_en=data["name_en"],
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data.get("ends_at"),
                polygon=polygon,
                centre=(centre[0], centre[1]) if centre else None,
                radius_km=data.get("radius_km"),
                mission_codes=tuple(data.get("missions", ())),
            ),
        )
        return Response(EventDetailOutputSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetailApi(APIView):
    @extend_schema(operation_id="crises_detail", responses={200: EventDetailOutputSerializer})
    def get(self, request: Request, public_id: str) -> Response:
        return Response(EventDetailOutputSerializer(event_get_for(user=request.user, public_id=public_id)).data)


class CrisisPersonOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_hangul = serializers.CharField()
    name_latin = serializers.CharField()
    dob = MaskedDateField()
    sex = serializers.CharField()
    passport = MaskedCharField(mask=mask_passport)
    contact = MaskedCharField(mask=mask_phone)
    last_known_location = serializers.CharField()
    hospital = serializers.CharField()
    status = serializers.CharField()
    status_note = serializers.IntegerField(source="status_note_id", allow_null=True)
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)


class EventPersonListApi(APIView):
    """The persons of a crisis, personal data masked; the read is audited."""

    @extend_schema(operation_id="crises_persons", responses={200: CrisisPersonOutputSerializer(many=True)})
    def get(self, request: Request, public_id: str) -> Response:
        event = event_get_for(user=request.user, public_id=public_id)
        body = CrisisPersonOutputSerializer(event.persons.order_by("id"), many=True).data
        if body:
            audit_record(
                actor=request.user,
                action=AuditAction.READ_PERSONAL_DATA,
                object_type="crisis",
                object_ref=str(event.public_id),
                request=request,
                detail={"persons": len(body)},
            )
        return Response(body)


class PersonNoteCreateApi(IdempotentCreateMixin, APIView):
    """Add a note on a person of the crisis; the derived status follows the authority rules."""

    class CrisisNoteInputSerializer(serializers.Serializer):
        # the input key is "source"; the stubs type Field.source on the class
        source = serializers.ChoiceField(choices=NoteSource.choices)  # type: ignore[assignment]
        claimed_status = serializers.ChoiceField(choices=ClaimedStatus.choices)
        text = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
        reported_at = serializers.DateTimeField(required=False, allow_null=True)

    @extend_schema(
        operation_id="crises_note_add", request=CrisisNoteInputSerializer, responses={201: CrisisPersonOutputSerializer}
    )
    def post(self, request: Request, public_id: str, person_id: int) -> Response:
        event = event_get_for(user=request.user, public_id=public_id)
        person = event.persons.filter(pk=person_id).first()
        if person is None:
            raise CrisisNotFound("No such person in this crisis.")
        serializer = self.CrisisNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        note_add(
            person=person,
            actor=request_user(request),
            note=NoteInput(
                source=data["source"],
                claimed_status=data["claimed_status"],
                text=data["text"],
                reported_at=data.get("reported_at"),
            ),
        )
        person.refresh_from_db()
        return Response(CrisisPersonOutputSerializer(person).data, status=status.HTTP_201_CREATED)


class ProposalOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    candidate = serializers.IntegerField(source="candidate_id")
    score = serializers.FloatField()
    verdict = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    state = serializers.CharField()


class InquiryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    caller_name = serializers.CharField()
    relation = serializers.CharField()
    callback_number = MaskedCharField(mask=mask_phone)
    language = serializers.CharField()
    sought_name = serializers.CharField()
    status = serializers.CharField()
    person = serializers.IntegerField(source="person_id", allow_null=True)
    proposals = ProposalOutputSerializer(many=True)


class InquiryCreateApi(IdempotentCreateMixin, APIView):
    """Record an inquiry; the answer carries the matcher's proposals."""

    class CrisisInquiryInputSerializer(serializers.Serializer):
        caller_name = serializers.CharField(max_length=200)
        callback_number = serializers.CharField(max_length=40)
        sought_name = serializers.CharField(max_length=200)
        relation = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        language = serializers.ChoiceField(choices=[("ko", "ko"), ("en", "en")], default="ko")
        sought_age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=130)
        sought_dob = serializers.DateField(required=False, allow_null=True)
        sought_passport = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
        staying_at = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        travelling_with = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="crises_inquiry_add",
        request=CrisisInquiryInputSerializer,
        responses={201: InquiryOutputSerializer},
    )
    def post(self, request: Request, public_id: str) -> Response:
        event = event_get_for(user=request.user, public_id=public_id)
        serializer = self.CrisisInquiryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inquiry = inquiry_record(
            event=event, actor=request_user(request), data=InquiryInput(**serializer.validated_data)
        )
        return Response(InquiryOutputSerializer(inquiry).data, status=status.HTTP_201_CREATED)


def _proposal_for(request: Request, public_id: str, proposal_id: int) -> MatchProposal:
    event = event_get_for(user=request.user, public_id=public_id)
    proposal = (
        MatchProposal.objects.filter(pk=proposal_id)
        .filter(Q(inquiry__event=event) | Q(person__event=event))
        .select_related("inquiry", "person", "candidate")
        .first()
    )
    if proposal is None:
        raise CrisisNotFound("No such proposal in this crisis.")
    return proposal


class ProposalDecideApi(APIView):
    """Confirm or reject a proposal (`decision`: `confirm` | `reject`); a rejected pair is never proposed again."""

    class CrisisDecisionInputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(choices=[("confirm", "confirm"), ("reject", "reject")])

    @extend_schema(
        operation_id="crises_proposal_decide",
        request=CrisisDecisionInputSerializer,
        responses={200: ProposalOutputSerializer},
    )
    def post(self, request: Request, public_id: str, proposal_id: int) -> Response:
        proposal = _proposal_for(request, public_id, proposal_id)
        serializer = self.CrisisDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decide = proposal_confirm if serializer.validated_data["decision"] == "confirm" else proposal_reject
        return Response(ProposalOutputSerializer(decide(proposal=proposal, actor=request_user(request))).data)


class CallbackOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    inquiry = serializers.IntegerField(source="inquiry_id")
    due_at = UTCDateTimeField()
    done_at = UTCDateTimeField(allow_null=True)
    outcome = serializers.CharField()


class CallbackListApi(APIView):
    @extend_schema(operation_id="crises_callbacks", responses={200: CallbackOutputSerializer(many=True)})
    def get(self, request: Request, public_id: str) -> Response:
        event = event_get_for(user=request.user, public_id=public_id)
        tasks = CallbackTask.objects.filter(inquiry__event=event).order_by("done_at", "due_at", "id")
        return Response(CallbackOutputSerializer(tasks, many=True).data)


class CallbackDoneApi(APIView):
    class CrisisCallbackDoneInputSerializer(serializers.Serializer):
        outcome = serializers.CharField(max_length=2000, allow_blank=True)

    @extend_schema(
        operation_id="crises_callback_done",
        request=CrisisCallbackDoneInputSerializer,
        responses={200: CallbackOutputSerializer},
    )
    def post(self, request: Request, public_id: str, callback_id: int) -> Response:
        event = event_get_for(user=request.user, public_id=public_id)
        task = CallbackTask.objects.filter(pk=callback_id, inquiry__event=event).first()
        if task is None:
            raise CrisisNotFound("No such callback in this crisis.")
        serializer = self.CrisisCallbackDoneInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = callback_done(task=task, actor=request_user(request), outcome=serializer.validated_data["outcome"])
        return Response(CallbackOutputSerializer(done).data)
