"""The CPSV-AP export of every sample passes the official CPSV-AP 3.2.0 SHACL shapes.

JSON-LD is parsed by rdflib with the document's inline @context: nothing is
fetched from the network.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import RDF, SH

from interchange.audience import Audience, for_audience
from interchange.cpsv import cpsv_document

SHAPES_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "cpsv" / "cpsv-ap-3.2.0-SHACL.ttl"
SAMPLES = [
    "construction_permit",
    "drug_retail_licence",
    "food_business_licence",
    "private_school_establishment",
    "road_passenger_transport",
]
CV = rdflib.Namespace("http://data.europa.eu/m8g/")
CPSV = rdflib.Namespace("http://purl.org/vocab/cpsv#")
ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
# Every class the mapping (ADR 0011) promises, with the shape that checks it.
EXPECTED_CLASSES = [
    CPSV.PublicService,
    CV.Requirement,
    CV.Evidence,
    CV.Cost,
    CV.Channel,
    CPSV.Rule,
    ELI.LegalResource,
    CV.Output,
    CV.PublicOrganisation,
]


@pytest.fixture(scope="module")
def shapes():
    graph = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    members = set(
        graph.objects(
            rdflib.URIRef("https://semiceu.github.io/CPSV-AP/releases/3.2.0/"), rdflib.RDFS.member
        )
    )
    assert len(graph) == 1056
    assert members == set(graph.subjects(RDF.type, SH.NodeShape)) and len(members) == 33
    return graph


def graph_of(document):
    return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("audience", list(Audience))
def test_the_cpsv_export_of_every_sample_conforms(sample_snapshots, shapes, sample, audience):
    data = for_audience(sample_snapshots[sample], audience)
    graph = graph_of(cpsv_document(data, "https://example.test/exports/x/y/v1/standard.jsonld"))
    content = data["content"]
    expected = {
        CPSV.PublicService: 1,
        CV.PublicOrganisation: 1,
        CV.Requirement: len(content["condition"]),
        CV.Evidence: len(content["material"]),
        CV.Cost: len(content["fee_item"]),
        CV.Channel: len(content["basic_info"]["B00.15"]),
        CPSV.Rule: len(content["legal_basis"]),
        ELI.LegalResource: len(content["legal_basis"]),
        CV.Output: 1,
    }
    assert set(expected) == set(EXPECTED_CLASSES)
    for cls, count in expected.items():
        assert len(set(graph.subjects(RDF.type, cls))) == count, f"{sample}: {cls}"
    assert expected[CV.Requirement] and expected[CV.Evidence] and expected[CPSV.Rule]
    # The service has its processing time and every class's shape had nodes to check.
    service = next(graph.subjects(RDF.type, CPSV.PublicService))
    assert graph.value(service, CV.processingTime) is not None
    conforms, _report, text = validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, text


def test_the_shapes_do_reject_a_service_without_identifier(sample_snapshots, shapes):
    """The validation is not vacuous: breaking a mandatory property fails it."""
    document = cpsv_document(sample_snapshots["food_business_licence"], "https://example.test/s/")
    service = document["@graph"][0]
    del service["dct:identifier"]
    del document["@graph"][1]["skos:prefLabel"]  # the region; the organisation follows
    organisation = next(n for n in document["@graph"] if n.get("@type") == "cv:PublicOrganisation")
    del organisation["skos:prefLabel"]
    conforms, report, _text = validate(graph_of(document), shacl_graph=shapes, inference="none")
    assert not conforms
    paths = {str(p) for p in report.objects(None, SH.resultPath)}
    assert "http://purl.org/dc/terms/identifier" in paths
    assert "http://www.w3.org/2004/02/skos/core#prefLabel" in paths
