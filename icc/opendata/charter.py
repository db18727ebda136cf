"""The shared core of the ICC open data policy charter, as the programme starts it.

Drawn from the flip book's open data service: why public sector data should be re-used
(growth and innovation, societal challenges, evidence-based policy, AI, participation
and transparency), what it means for a city (working on data across the administration,
not only in IT; coordination; dialogue inside and outside; clear data clauses in
specifications and agreements) and the challenges it solves (vendor lock-in, data silos,
partners and suppliers keeping services sustainable, automation instead of re-keying),
with the technical platforms and interoperability standards of the technical lab. The
programme team changes it as a draft of a new version.
"""

from __future__ import annotations

from typing import Any

VISION = (
    "Our city's data is a public asset. We open it for anyone to re-use, commercial re-use included, so that "
    "it stimulates innovation and growth, helps solve the challenges the city faces, makes policy rest on "
    "evidence and lets citizens take part in, and see into, what the city does. We work on data across the "
    "whole administration, with our partners and suppliers, on open standards that keep the city free to "
    "choose and to change its technology."
)

PRINCIPLES: list[dict[str, Any]] = [
    {
        "key": "open-by-default",
        "title": "Open by default",
        "statement": "The city publishes the data it holds for anyone to re-use, commercial re-use included, "
        "unless personal data, security or the rights of others stand in the way; a refusal to publish is "
        "explained.",
        "clause": "“The City publishes the datasets it holds on its open data portal under an open licence, "
        "except where their publication would breach data protection law, security or third-party rights.”",
        "standards": "DCAT-AP 3 metadata; CC BY 4.0 or CC0 licences",
    },
    {
        "key": "data-governance",
        "title": "Data is everyone's work, not only IT's",
        "statement": "Data is worked on across the administration: a named data coordinator, a data owner "
        "for each key dataset and a coordination group that meets regularly.",
        "clause": "“Each department names an owner for the datasets it produces, who keeps them current and "
        "answers questions about them; the data coordinator chairs the data group every quarter.”",
        "standards": "",
    },
    {
        "key": "dialogue",
        "title": "Dialogue on data, inside and outside",
        "statement": "The city talks about data with its employees, its ecosystem and its citizens: which "
        "data are needed, how they are used, what could be better.",
        "clause": "“The City holds at least one open session a year with re-users of its data and publishes "
        "what it will change as a result.”",
        "standards": "",
    },
    {
        "key": "data-clauses",
        "title": "Clear data clauses in every specification and agreement",
        "statement": "Tenders, contracts and partnership agreements say who owns the data a service "
        "produces, in which formats it is delivered and how it is shared, so that employees who buy and "
        "use data know what to ask for.",
        "clause": "“All data generated in the performance of this contract are the property of the City. "
        "The contractor delivers them, at least monthly and at the end of the contract, in an open, "
        "documented, machine-readable format, at no extra cost.”",
        "standards": "",
    },
    {
        "key": "no-lock-in",
        "title": "No vendor lock-in",
        "statement": "City data never stays stuck with external parties: the city can take its data and "
        "move to another supplier or platform without losing it.",
        "clause": "“At the end of the contract the contractor hands over all City data and the documentation "
        "needed to use them within 30 days, and deletes its copies once the City confirms receipt.”",
        "standards": "Open APIs; OASC MIM1 (context information management, NGSI-LD)",
    },
    {
        "key": "interoperability",
        "title": "Interoperable by open standards",
        "statement": "Platforms and datasets follow open, widely used standards, so that data from "
        "different services, cities and governments can be combined.",
        "clause": "“The solution exposes its data through the NGSI-LD API using the Smart Data Models "
        "published for its domain (OASC MIM2).”",
        "standards": "OASC MIM1, MIM2, MIM4; ETSI NGSI-LD; Smart Data Models; ISO/IEC JTC 1/SC 41",
    },
    {
        "key": "linked-not-rekeyed",
        "title": "Linked, not re-keyed",
        "statement": "Data are shared with other governments and services by automation and data linking, "
        "not entered by hand again and again or sent around in fragments.",
        "clause": "“Data the City reports to regional and national authorities are sent through their "
        "published interfaces from the source system, without manual re-entry.”",
        "standards": "Open APIs; persistent identifiers (URIs) for datasets and records",
    },
    {
        "key": "silos",
        "title": "Silos broken for innovation",
        "statement": "Data held by different departments and partners are brought together on a shared "
        "platform, so that new services and innovation can build on them.",
        "clause": "“New city services publish their data to the City's urban data platform from launch.”",
        "standards": "Urban data platform with a context broker; DCAT-AP catalogue",
    },
    {
        "key": "partners-share",
        "title": "Partners and suppliers share the responsibility",
        "statement": "Not only the city but its partners and suppliers develop and maintain sustainable, "
        "innovative services on open data, and publish what they may.",
        "clause": "“The partner publishes the non-personal data produced by the service on the City's "
        "portal under the City's open licence.”",
        "standards": "",
    },
    {
        "key": "privacy-security",
        "title": "Personal data protected, data kept secure",
        "statement": "Opening data never exposes people: personal data are protected by design, datasets "
        "are checked before publication and kept secure.",
        "clause": "“Before publication each dataset passes the City's anonymisation check, recorded by its "
        "data owner.”",
        "standards": "GDPR; ISO/IEC 27001",
    },
]
