"""A city's or a provider's marketplace content as one JSON-LD document, and back.

:mod:`.export` writes the document, :mod:`.reading` checks an uploaded file before it is
parsed, :mod:`.schema` validates it against the schemas in ``schemas/`` (offline), and
:mod:`.importer` writes what it holds in one transaction, or nothing.

The document is a ``schema:DataFeed`` (a ``dcat:Dataset`` in DCAT terms) that claims its
JSON Schema with ``dct:conformsTo`` (``urn:icc:schema:marketplace-export:1``) and carries
its ``@context`` inline (the one in ``schemas/context.jsonld``), so nothing has to be
fetched to read it as linked data. Unprefixed terms are schema.org's (``@vocab``); what
schema.org has no term for is in the platform's own namespace ``urn:icc:marketplace:``.

=========================  ====================================================================
the platform               in the document
=========================  ====================================================================
export                     ``DataFeed``: ``name``, ``dateCreated``, ``publisher`` (the programme
                           edition, an ``Organization`` with its key as ``identifier``),
                           ``about`` (the city or the provider), ``dataFeedElement`` (the rest)
city and its profile       ``["City", "GovernmentOrganization"]``: ``name``,
                           ``address.addressCountry``; the profile's summary ``description``,
                           procurement contact ``contactPoint`` (``ContactPoint``, type
                           ``procurement``); OASC MIMs ``mims``, charter ``openDataCharter``,
                           platforms, procurement, tenders in ``urn:icc:marketplace:``
open data portal           ``openDataPortal``: a Smart Data Models DCAT-AP ``Catalogue``
                           (``id``, ``type``, ``title``, ``description``, ``publisher``,
                           ``homepage`` = foaf:homepage), valid against that model's schema,
                           its terms mapped by a scoped context to the model's own IRIs
provider                   ``Organization``: ``name``, ``address.addressCountry``, ``url``
                           (website), ``providerKind`` (company, sme, research, city)
solution                   ``["SoftwareApplication", "Product"]``: ``name``, ``description``,
                           ``provider``, ``about`` (ICC themes as ``DefinedTerm`` with
                           ``termCode``), ``featureList`` (technology functions, the
                           platform's codes), ``softwareRequirements``, ``license`` (SPDX),
                           ``codeRepository``, ``creativeWorkStatus`` (development status);
                           ``mims``, ``dataModels`` (Smart Data Models entity names as they
                           are), ``ngsiLd``, ``standards``, ``costModel``, ``sdgTargets``
challenge                  ``Demand``: ``name``, ``description``, ``about`` (its theme),
                           ``featureList`` (functions needed), ``dataModels``, ``sdgTargets``,
                           ``priceSpecification`` (``PriceSpecification`` in EUR with
                           ``minPrice``/``maxPrice``), ``validThrough`` (needed by)
deployment                 ``UseAction``: ``object`` (the solution, with its name and
                           provider), ``agent`` (the deploying ``City``), ``startTime``,
                           ``description`` (outcome), ``scale``, ``confirmed``
=========================  ====================================================================

Nodes carry the address of their page on the exporting instance as ``@id``. An import
recognises the city or provider by that address or by name and country, a theme by its
key, a solution by its provider's name and its own.
"""
