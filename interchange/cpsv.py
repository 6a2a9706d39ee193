"""A published snapshot as CPSV-AP 3.x JSON-LD (the mapping is ADR 0011).

`cpsv_document(data, base)` reads nothing but the snapshot dict (already
reduced to the reader's audience) and returns a JSON-LD document whose
@context is inline, so it can be read without fetching anything. Every node
gets an IRI under `base` (the export's own address), rows by their stable
row ids, so the same published version always yields the same graph.

Codes become skos:Concept nodes under `base` + "codes/<list>/<code>" with
their Chinese label; the registry's code lists are not (yet) published as
SKOS schemes, so nothing outside this document defines them.
"""

from __future__ import annotations

from typing import Any

from standards.registry import REGISTRY

LANGUAGE = "zh-Hans"

CONTEXT: dict[str, Any] = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "locn": "http://www.w3.org/ns/locn#",
    "atu": "http://data.europa.eu/88u/dataset/",
}

# time_unit codes -> ISO 8601 duration designators. Working days (工作日) have
# no ISO form: they are given as days, and the unit is named in the text.
_ISO_UNITS = {"1": ("P", "D"), "2": ("P", "D"), "3": ("PT", "H"), "4": ("P", "M")}


def _text(value: Any) -> dict[str, str]:
    return {"@value": str(value), "@language": LANGUAGE}


def _id(iri: str) -> dict[str, str]:
    return {"@id": iri}


class _Builder:
    def __init__(self, data: dict[str, Any], base: str) -> None:
        self.data = data
        self.base = base.rstrip("/") + "/"
        self.content = data.get("content") or {}
        self.meta = data.get("standard") or {}
        self.nodes: list[dict[str, Any]] = []
        self.concepts: dict[str, dict[str, Any]] = {}

    def iri(self, kind: str, key: str) -> str:
        return f"{self.base}#{kind}-{key}"

    def concept(self, codelist: str, code: str | None) -> dict[str, str] | None:
        if not code or code not in REGISTRY.codelist(codelist):
            return None
        iri = f"{self.base}codes/{codelist}/{code}"
        if iri not in self.concepts:
            self.concepts[iri] = {
                "@id": iri,
                "@type": "skos:Concept",
                "skos:notation": code,
                "skos:prefLabel": _text(
                    next(c.label_zh for c in REGISTRY.codelist(codelist) if c.code == code)
                ),
            }
        return _id(iri)

    def rows(self, group: str) -> list[dict[str, Any]]:
        return list(self.content.get(group) or [])

    def single(self, group: str) -> dict[str, Any]:
        return dict(self.content.get(group) or {})

    # Nodes -------------------------------------------------------------------

    def organisation(self) -> dict[str, str]:
        department = self.meta.get("department") or {}
        region = self.meta.get("region") or {}
        region_iri = self.iri("region", str(region.get("code") or "unknown"))
        self.nodes.append(
            {
                "@id": region_iri,
                "@type": ["dct:Location", "atu:atu-type"],
                "dct:identifier": str(region.get("code") or ""),
                "skos:prefLabel": _text(region.get("name") or ""),
            }
        )
        iri = self.iri("organisation", str(department.get("code") or "unknown"))
        self.nodes.append(
            {
                "@id": iri,
                "@type": "cv:PublicOrganisation",
                "dct:identifier": str(department.get("code") or ""),
                "skos:prefLabel": _text(department.get("name") or ""),
                "dct:spatial": _id(region_iri),
            }
        )
        return _id(iri)

    def legal_resources(self) -> list[dict[str, str]]:
        """One eli:LegalResource (the law) and one cpsv:Rule (the article) per legal basis row."""
        found = []
        for row in self.rows("legal_basis"):
            key = row["row_id"]
            law = {
                "@id": self.iri("law", key),
                "@type": "eli:LegalResource",
                "dct:identifier": key,
            }
            if row.get("E02.02"):
                law["dct:title"] = _text(row["E02.02"])
            kind = self.concept("law_level", row.get("E02.03"))
            if kind:
                law["dct:type"] = kind
            self.nodes.append(law)
            title = " ".join(str(row[c]) for c in ("E02.02", "E02.08") if row.get(c)) or key
            rule = {
                "@id": self.iri("rule", key),
                "@type": "cpsv:Rule",
                "dct:identifier": key,
                "dct:title": _text(title),
                "dct:description": _text(row.get("E02.09") or title),
                "cpsv:implements": _id(law["@id"]),
            }
            basis_kind = self.concept("basis_kind", row.get("E02.01"))
            if basis_kind:
                rule["dct:type"] = basis_kind
            self.nodes.append(rule)
            found.append(_id(law["@id"]))
        return found

    def evidence(self) -> list[dict[str, str]]:
        found = []
        for row in self.rows("material"):
            key = row["row_id"]
            node: dict[str, Any] = {
                "@id": self.iri("evidence", key),
                "@type": "cv:Evidence",
                "dct:identifier": key,
                "dct:title": _text(row.get("E05.01") or key),
            }
            description = row.get("E05.17") or row.get("E05.16")
            if description:
                node["dct:description"] = _text(description)
            kind = self.concept("material_type", row.get("E05.02"))
            if kind:
                node["dct:type"] = kind
            self.nodes.append(node)
            found.append(_id(node["@id"]))
        return found

    def requirements(self) -> list[dict[str, str]]:
        found = []
        for row in self.rows("condition"):
            key = row["row_id"]
            text = row.get("E04.02") or key
            node: dict[str, Any] = {
                "@id": self.iri("requirement", key),
                "@type": "cv:Requirement",
                "dct:identifier": key,
                "dct:title": _text(_shorten(str(text))),
                "dct:description": _text(text),
            }
            kind = self.concept("condition_kind", row.get("E04.01"))
            if kind:
                node["dct:type"] = kind
            evidence = [_id(self.iri("evidence", uid)) for uid in row.get("E04.08") or []]
            if evidence:
                node["cv:hasSupportingEvidence"] = evidence
            rules = [_id(self.iri("rule", uid)) for uid in row.get("E04.03") or []]
            if rules:
                node["cv:fulfils"] = rules
            self.nodes.append(node)
            found.append(_id(node["@id"]))
        return found

    def costs(self) -> list[dict[str, str]]:
        found = []
        for row in self.rows("fee_item"):
            key = row["row_id"]
            parts = [str(row[c]) for c in ("E08.02", "E08.04") if row.get(c)]
            node = {
                "@id": self.iri("cost", key),
                "@type": "cv:Cost",
                "dct:identifier": key,
                "dct:description": _text("：".join(parts) or key),
            }
            self.nodes.append(node)
            found.append(_id(node["@id"]))
        return found

    def channels(self) -> list[dict[str, str]]:
        """One channel per handling form (window, online, mobile, post ...)."""
        basic = self.single("basic_info")
        service = self.single("service")
        addresses = {"1": service.get("E12.11"), "2": basic.get("B00.17"), "3": basic.get("B00.18")}
        found = []
        for code in basic.get("B00.15") or []:
            concept = self.concept("handling_form", code)
            if concept is None:
                continue
            node: dict[str, Any] = {
                "@id": self.iri("channel", code),
                "@type": "cv:Channel",
                "dct:identifier": code,
                "dct:type": concept,
            }
            if addresses.get(code):
                node["dct:description"] = _text(addresses[code])
            self.nodes.append(node)
            found.append(_id(node["@id"]))
        return found

    def outputs(self) -> list[dict[str, str]]:
        result = self.single("result")
        if not result.get("E07.02"):
            return []
        node: dict[str, Any] = {
            "@id": self.iri("output", "result"),
            "@type": "cv:Output",
            "dct:identifier": "result",
            "dct:title": _text(result["E07.02"]),
        }
        kind = self.concept("result_type", result.get("E07.01"))
        if kind:
            node["dct:type"] = kind
        if result.get("E07.07"):
            node["dct:description"] = _text(result["E07.07"])
        self.nodes.append(node)
        return [_id(node["@id"])]

    def processing_time(self) -> dict[str, str] | None:
        limit = self.single("time_limit")
        amount, unit = limit.get("E06.05"), limit.get("E06.06")
        if amount is None or unit not in _ISO_UNITS:
            return None
        prefix, designator = _ISO_UNITS[unit]
        return {"@value": f"{prefix}{int(amount)}{designator}", "@type": "xsd:duration"}

    def service(self) -> dict[str, Any]:
        item = self.meta.get("item") or {}
        version = self.meta.get("version") or {}
        basic = self.single("basic_info")
        scope = self.single("acceptance_scope")
        identifier = basic.get("B00.01") or item.get("basic_code") or "unknown"
        description = scope.get("E01.01") or item.get("name") or identifier
        node: dict[str, Any] = {
            "@id": self.iri("service", "main"),
            "@type": "cpsv:PublicService",
            "dct:identifier": str(identifier),
            "dct:title": _text(item.get("name") or identifier),
            "dct:description": _text(description),
            "cv:hasCompetentAuthority": self.organisation(),
            "dct:spatial": _id(
                self.iri("region", str((self.meta.get("region") or {}).get("code") or "unknown"))
            ),
        }
        if version.get("number") is not None:
            node["owl:versionInfo"] = str(version["number"])
        links = {
            "cv:hasLegalResource": self.legal_resources(),
            "cpsv:follows": [_id(self.iri("rule", r["row_id"])) for r in self.rows("legal_basis")],
            "cpsv:hasInput": self.evidence(),
            "cv:holdsRequirement": self.requirements(),
            "cv:hasCost": self.costs(),
            "cv:hasChannel": self.channels(),
            "cpsv:produces": self.outputs(),
        }
        node.update({key: value for key, value in links.items() if value})
        processing = self.processing_time()
        if processing:
            node["cv:processingTime"] = processing
        audience = [self.concept("service_object", c) for c in basic.get("B00.09") or []]
        if any(audience):
            node["dct:audience"] = [a for a in audience if a]
        return node


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cpsv_document(data: dict[str, Any], base: str) -> dict[str, Any]:
    """The JSON-LD document (a dict ready for json.dumps) of snapshot `data`."""
    builder = _Builder(data, base)
    service = builder.service()
    graph = [service, *builder.nodes, *builder.concepts.values()]
    context = {**CONTEXT, "owl": "http://www.w3.org/2002/07/owl#"}
    return {"@context": context, "@graph": graph}
