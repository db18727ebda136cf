"""The words of the demo calls for ideas and of the ideas citizens sent, in the languages of
the demo cities (German, French, Spanish, Italian, Polish) and English.

Each idea is ``(title, text)`` per language; :mod:`icc.ideas.demo` decides which city gets
which idea in which language, and what the city did with it.
"""

from __future__ import annotations

Texts = dict[str, str]
Idea = dict[str, tuple[str, str]]

ENERGY_QUESTION: Texts = {
    "en": "How could the city reduce its electricity consumption?",
    "de": "Wie könnte die Stadt ihren Stromverbrauch senken?",
    "fr": "Comment la ville pourrait-elle réduire sa consommation d'électricité ?",
    "es": "¿Cómo podría la ciudad reducir su consumo de electricidad?",
    "it": "Come potrebbe la città ridurre il suo consumo di elettricità?",
    "pl": "Jak miasto mogłoby zmniejszyć zużycie energii elektrycznej?",
}
ENERGY_DESCRIPTION: Texts = {
    "en": "Public buildings, street lighting and city services use a large share of the city's electricity. "
    "Send us your ideas for projects that would cut it: the city reads every idea, publishes them here "
    "and puts a shortlist to a vote.",
    "de": "Öffentliche Gebäude, Straßenbeleuchtung und städtische Dienste verbrauchen einen großen Teil des "
    "Stroms der Stadt. Schicken Sie uns Ihre Ideen für Projekte, die ihn senken: Die Stadt liest jede Idee, "
    "veröffentlicht sie hier und stellt eine Auswahl zur Abstimmung.",
    "fr": "Les bâtiments publics, l'éclairage des rues et les services de la ville consomment une grande part "
    "de son électricité. Envoyez-nous vos idées de projets pour la réduire : la ville lit chaque idée, les "
    "publie ici et soumet une sélection au vote.",
    "es": "Los edificios públicos, el alumbrado de las calles y los servicios municipales consumen gran parte "
    "de la electricidad de la ciudad. Envíenos sus ideas de proyectos para reducirla: la ciudad lee cada "
    "idea, las publica aquí y somete una selección a votación.",
    "it": "Gli edifici pubblici, l'illuminazione stradale e i servizi comunali consumano una grande parte "
    "dell'elettricità della città. Inviateci le vostre idee di progetti per ridurla: la città legge ogni "
    "idea, le pubblica qui e mette ai voti una selezione.",
    "pl": "Budynki publiczne, oświetlenie ulic i usługi miejskie zużywają dużą część energii elektrycznej "
    "miasta. Prześlij nam swoje pomysły na projekty, które ją ograniczą: miasto czyta każdy pomysł, "
    "publikuje je tutaj i poddaje wybrane pod głosowanie.",
}

PLANNING_QUESTION: Texts = {
    "en": "What should the city work on in its next cycle?",
    "de": "Woran sollte die Stadt im nächsten Zyklus arbeiten?",
    "fr": "Sur quoi la ville devrait-elle travailler lors du prochain cycle ?",
    "es": "¿En qué debería trabajar la ciudad en el próximo ciclo?",
    "it": "Su che cosa dovrebbe lavorare la città nel prossimo ciclo?",
    "pl": "Nad czym miasto powinno pracować w następnym cyklu?",
}
PLANNING_DESCRIPTION: Texts = {
    "en": "Before the city plans its next implementation cycle, it wants to know what matters most to you. "
    "The ideas below are on the shortlist: vote for each one you support.",
    "de": "Bevor die Stadt ihren nächsten Umsetzungszyklus plant, möchte sie wissen, was Ihnen am wichtigsten "
    "ist. Die folgenden Ideen stehen zur Auswahl: Stimmen Sie für jede, die Sie unterstützen.",
    "fr": "Avant de planifier son prochain cycle de mise en œuvre, la ville veut savoir ce qui compte le plus "
    "pour vous. Les idées ci-dessous sont sélectionnées : votez pour chacune de celles que vous soutenez.",
    "es": "Antes de planificar su próximo ciclo de ejecución, la ciudad quiere saber qué es lo más importante "
    "para usted. Las ideas siguientes están preseleccionadas: vote por cada una que apoye.",
    "it": "Prima di pianificare il prossimo ciclo di attuazione, la città vuole sapere che cosa conta di più "
    "per voi. Le idee qui sotto sono in selezione: votate per ognuna che sostenete.",
    "pl": "Zanim miasto zaplanuje kolejny cykl wdrażania, chce wiedzieć, co jest dla Ciebie najważniejsze. "
    "Poniższe pomysły są na krótkiej liście: zagłosuj na każdy, który popierasz.",
}

# Ideas for the energy call ---------------------------------------------------------------

DIMMED_LIGHTS: Idea = {
    "en": (
        "Street lights that dim when nobody is there",
        "Replace the old street lamps with LED lights that dim late at night and brighten when someone walks "
        "or cycles by. Other cities saved more than half of the electricity used for street lighting this way.",
    ),
    "de": (
        "Straßenlaternen, die sich bei Bedarf aufhellen",
        "Die alten Straßenlaternen durch LED-Leuchten ersetzen, die nachts gedimmt werden und heller werden, "
        "wenn jemand zu Fuß oder mit dem Rad vorbeikommt. Andere Städte haben so mehr als die Hälfte des Stroms "
        "für die Straßenbeleuchtung gespart.",
    ),
    "fr": (
        "Des lampadaires qui baissent quand personne ne passe",
        "Remplacer les vieux lampadaires par des LED qui baissent tard le soir et éclairent plus fort quand "
        "quelqu'un passe à pied ou à vélo. D'autres villes ont ainsi économisé plus de la moitié de "
        "l'électricité de l'éclairage public.",
    ),
    "es": (
        "Farolas que bajan la luz cuando no pasa nadie",
        "Cambiar las farolas antiguas por luces LED que se atenúan de madrugada y se encienden más cuando alguien "
        "pasa a pie o en bici. Otras ciudades han ahorrado así más de la mitad de la electricidad del alumbrado "
        "público.",
    ),
    "it": (
        "Lampioni che si abbassano quando non passa nessuno",
        "Sostituire i vecchi lampioni con luci LED che si abbassano a tarda notte e si alzano quando passa "
        "qualcuno a piedi o in bici. Altre città hanno risparmiato così più della metà dell'elettricità "
        "dell'illuminazione pubblica.",
    ),
    "pl": (
        "Latarnie, które przygasają, gdy nikogo nie ma",
        "Wymienić stare latarnie na oświetlenie LED, które późną nocą przygasa, a rozjaśnia się, gdy ktoś "
        "przechodzi lub przejeżdża rowerem. Inne miasta zaoszczędziły w ten sposób ponad połowę energii "
        "zużywanej na oświetlenie ulic.",
    ),
}
SCHOOL_SOLAR: Idea = {
    "en": (
        "Solar panels on every school roof",
        "School roofs are large, flat and empty. Solar panels on them would produce electricity during school "
        "hours, when it is needed, and pupils could follow the production in class.",
    ),
    "de": (
        "Solaranlagen auf allen Schuldächern",
        "Schuldächer sind groß, flach und ungenutzt. Solaranlagen darauf würden Strom genau während der "
        "Schulzeit erzeugen, wenn er gebraucht wird, und die Schülerinnen und Schüler könnten die Erzeugung "
        "im Unterricht verfolgen.",
    ),
    "fr": (
        "Des panneaux solaires sur chaque toit d'école",
        "Les toits des écoles sont grands, plats et vides. Des panneaux solaires y produiraient de "
        "l'électricité pendant les heures de classe, quand on en a besoin, et les élèves pourraient suivre "
        "la production en cours.",
    ),
    "es": (
        "Placas solares en el tejado de cada colegio",
        "Los tejados de los colegios son grandes, planos y están vacíos. Con placas solares producirían "
        "electricidad en horario escolar, cuando hace falta, y el alumnado podría seguir la producción en clase.",
    ),
    "it": (
        "Pannelli solari sul tetto di ogni scuola",
        "I tetti delle scuole sono grandi, piatti e vuoti. Con i pannelli solari produrrebbero elettricità "
        "durante l'orario scolastico, quando serve, e gli studenti potrebbero seguire la produzione in classe.",
    ),
    "pl": (
        "Panele słoneczne na dachu każdej szkoły",
        "Dachy szkół są duże, płaskie i puste. Panele słoneczne wytwarzałyby na nich prąd w godzinach lekcji, "
        "kiedy jest potrzebny, a uczniowie mogliby śledzić produkcję na zajęciach.",
    ),
}
SCHOOL_CONTEST: Idea = {
    "en": (
        "An energy-saving contest between schools",
        "Each school gets a target and sees its meter every week. The school that saves the most electricity "
        "over the year wins a trip or new sports equipment.",
    ),
    "de": (
        "Ein Energiespar-Wettbewerb zwischen Schulen",
        "Jede Schule bekommt ein Ziel und sieht jede Woche ihren Zählerstand. Die Schule, die im Jahr am meisten "
        "Strom spart, gewinnt einen Ausflug oder neue Sportgeräte.",
    ),
    "fr": (
        "Un concours d'économies d'énergie entre écoles",
        "Chaque école reçoit un objectif et voit son compteur chaque semaine. Celle qui économise le plus "
        "d'électricité sur l'année gagne une sortie ou du matériel de sport.",
    ),
    "es": (
        "Un concurso de ahorro de energía entre colegios",
        "Cada colegio recibe un objetivo y ve su contador cada semana. El que más electricidad ahorre en el año "
        "gana una excursión o material deportivo nuevo.",
    ),
    "it": (
        "Una gara di risparmio energetico tra scuole",
        "Ogni scuola riceve un obiettivo e vede il suo contatore ogni settimana. La scuola che risparmia più "
        "elettricità nell'anno vince una gita o nuove attrezzature sportive.",
    ),
    "pl": (
        "Konkurs oszczędzania energii między szkołami",
        "Każda szkoła dostaje cel i co tydzień widzi stan swojego licznika. Szkoła, która w ciągu roku "
        "zaoszczędzi najwięcej prądu, wygrywa wycieczkę lub nowy sprzęt sportowy.",
    ),
}
# Sent again in other words: the city merges it into SCHOOL_SOLAR.
SCHOOL_SOLAR_AGAIN: Idea = {
    "en": ("Solar roofs for schools", "Put solar panels on the schools. The roofs are not used for anything."),
    "de": ("Photovoltaik auf die Schulen", "Auf die Schulen gehören Solarzellen. Die Dächer werden für nichts genutzt."),
    "fr": ("Du solaire sur les écoles", "Il faudrait mettre des panneaux solaires sur les écoles. Les toits ne servent à rien."),
    "es": ("Energía solar en los colegios", "Habría que poner placas solares en los colegios. Los tejados no se usan para nada."),
    "it": ("Fotovoltaico sulle scuole", "Bisognerebbe mettere i pannelli solari sulle scuole. I tetti non servono a niente."),
    "pl": ("Fotowoltaika na szkołach", "Na szkołach powinny być panele słoneczne. Dachy do niczego nie służą."),
}  # fmt: skip
# Declined, with the reason the city gives its author.
LIGHTS_OFF: Idea = {
    "en": (
        "Switch off all street lights after midnight",
        "Nobody is out after midnight, so the lights could simply be switched off until morning.",
    ),
    "de": (
        "Alle Straßenlaternen nach Mitternacht ausschalten",
        "Nach Mitternacht ist sowieso niemand unterwegs, also könnte man das Licht bis zum Morgen einfach abschalten.",
    ),
    "fr": (
        "Éteindre tous les lampadaires après minuit",
        "Personne ne sort après minuit, on pourrait simplement éteindre jusqu'au matin.",
    ),
    "es": (
        "Apagar todas las farolas después de medianoche",
        "Después de medianoche no hay nadie en la calle, así que se podrían apagar las luces hasta la mañana.",
    ),
    "it": (
        "Spegnere tutti i lampioni dopo mezzanotte",
        "Dopo mezzanotte non c'è nessuno in giro, quindi si potrebbero spegnere le luci fino al mattino.",
    ),
    "pl": (
        "Wyłączać wszystkie latarnie po północy",
        "Po północy i tak nikogo nie ma na ulicach, więc można by wyłączać światło do rana.",
    ),
}
LIGHTS_OFF_REASON: Texts = {
    "en": "Street lighting keeps pavements and crossings safe at night, so the city cannot switch it off. "
    "The published idea of street lights that dim when nobody is there goes the same way.",
    "de": "Die Straßenbeleuchtung macht Gehwege und Übergänge nachts sicher, deshalb kann die Stadt sie nicht "
    "abschalten. Die veröffentlichte Idee der Laternen, die sich bei Bedarf aufhellen, geht in dieselbe Richtung.",
    "fr": "L'éclairage rend les trottoirs et les passages piétons sûrs la nuit : la ville ne peut pas l'éteindre. "
    "L'idée publiée des lampadaires qui baissent quand personne ne passe va dans le même sens.",
    "es": "El alumbrado hace seguras las aceras y los pasos de peatones por la noche, por eso la ciudad no puede "
    "apagarlo. La idea publicada de las farolas que bajan la luz cuando no pasa nadie va en la misma dirección.",
    "it": "L'illuminazione rende sicuri marciapiedi e attraversamenti di notte, quindi la città non può spegnerla. "
    "L'idea pubblicata dei lampioni che si abbassano quando non passa nessuno va nella stessa direzione.",
    "pl": "Oświetlenie sprawia, że chodniki i przejścia są nocą bezpieczne, dlatego miasto nie może go wyłączyć. "
    "Opublikowany pomysł latarni, które przygasają, gdy nikogo nie ma, idzie w tym samym kierunku.",
}
# Still waiting for moderation.
ENERGY_ADVICE: Idea = {
    "en": (
        "Free energy advice for households",
        "Many people do not know which appliances use the most electricity. A free visit from an energy "
        "adviser, with a meter to borrow, would help families save on their bills.",
    ),
    "de": (
        "Kostenlose Energieberatung für Haushalte",
        "Viele wissen nicht, welche Geräte am meisten Strom verbrauchen. Ein kostenloser Besuch einer "
        "Energieberaterin mit einem Messgerät zum Ausleihen würde Familien helfen, bei der Rechnung zu sparen.",
    ),
    "fr": (
        "Des conseils gratuits en énergie pour les ménages",
        "Beaucoup ne savent pas quels appareils consomment le plus. La visite gratuite d'un conseiller, avec "
        "un wattmètre à emprunter, aiderait les familles à réduire leur facture.",
    ),
    "es": (
        "Asesoría energética gratuita para los hogares",
        "Mucha gente no sabe qué aparatos gastan más electricidad. Una visita gratuita de un asesor, con un "
        "medidor en préstamo, ayudaría a las familias a ahorrar en la factura.",
    ),
    "it": (
        "Consulenza energetica gratuita per le famiglie",
        "Molti non sanno quali elettrodomestici consumano di più. Una visita gratuita di un consulente, con un "
        "misuratore in prestito, aiuterebbe le famiglie a risparmiare in bolletta.",
    ),
    "pl": (
        "Bezpłatne doradztwo energetyczne dla domów",
        "Wiele osób nie wie, które urządzenia zużywają najwięcej prądu. Bezpłatna wizyta doradcy z miernikiem "
        "do wypożyczenia pomogłaby rodzinom obniżyć rachunki.",
    ),
}
# Sent in English by residents who do not write the city's language.
OFFICES_AT_NIGHT = (
    "Switch off screens and lights in city offices at night",
    "Walking past the town hall at night, many floors are still lit and computers are on. An automatic "
    "switch-off after working hours costs little and saves electricity every night.",
)
BUILDINGS_ONLINE = (
    "Show each public building's electricity use online",
    "Publish the monthly electricity use of every school, pool and office on the city's website. When people "
    "can see it, the buildings that waste the most get fixed first.",
)

# Ideas to prepare the next cycle's planning ----------------------------------------------

SHADE: Idea = {
    "en": (
        "More trees and shade in the squares",
        "In summer the squares get unbearably hot. More trees, shade sails and drinking fountains would make "
        "them usable for everyone.",
    ),
    "de": (
        "Mehr Bäume und Schatten auf den Plätzen",
        "Im Sommer werden die Plätze unerträglich heiß. Mehr Bäume, Sonnensegel und Trinkbrunnen würden sie "
        "für alle nutzbar machen.",
    ),
    "fr": (
        "Plus d'arbres et d'ombre sur les places",
        "En été, les places deviennent brûlantes. Plus d'arbres, des voiles d'ombrage et des fontaines les "
        "rendraient agréables pour tous.",
    ),
    "es": (
        "Más árboles y sombra en las plazas",
        "En verano las plazas son insoportables por el calor. Más árboles, toldos y fuentes las harían "
        "agradables para todos.",
    ),
    "it": (
        "Più alberi e ombra nelle piazze",
        "D'estate le piazze diventano roventi. Più alberi, vele ombreggianti e fontanelle le renderebbero "
        "vivibili per tutti.",
    ),
    "pl": (
        "Więcej drzew i cienia na placach",
        "Latem place robią się nie do zniesienia. Więcej drzew, żagli przeciwsłonecznych i poidełek sprawiłoby, "
        "że wszyscy mogliby z nich korzystać.",
    ),
}
SCHOOL_ROUTES: Idea = {
    "en": (
        "Safe cycle routes to schools",
        "Many parents drive their children because there is no cycle lane. Protected cycle routes to every "
        "school would cut the morning traffic and fumes.",
    ),
    "de": (
        "Sichere Radwege zu den Schulen",
        "Viele Eltern fahren ihre Kinder mit dem Auto, weil der Radweg fehlt. Geschützte Radwege zu jeder "
        "Schule würden Verkehr und Abgase am Morgen verringern.",
    ),
    "fr": (
        "Des pistes cyclables sûres vers les écoles",
        "Beaucoup de parents conduisent leurs enfants en voiture faute de piste cyclable. Des pistes protégées "
        "vers chaque école réduiraient la circulation et la pollution du matin.",
    ),
    "es": (
        "Carriles bici seguros hasta los colegios",
        "Muchos padres llevan a sus hijos en coche porque no hay carril bici. Carriles protegidos hasta cada "
        "colegio reducirían el tráfico y la contaminación por la mañana.",
    ),
    "it": (
        "Piste ciclabili sicure verso le scuole",
        "Molti genitori accompagnano i figli in auto perché manca una pista ciclabile. Piste protette verso "
        "ogni scuola ridurrebbero il traffico e lo smog del mattino.",
    ),
    "pl": (
        "Bezpieczne drogi rowerowe do szkół",
        "Wielu rodziców wozi dzieci samochodem, bo brakuje drogi rowerowej. Chronione drogi rowerowe do każdej "
        "szkoły zmniejszyłyby poranny ruch i spaliny.",
    ),
}
ONE_APP = (
    "One app for all city services",
    "Today each service has its own website and forms. One app to pay fees, book appointments and report "
    "problems would save everyone time.",
)
FOUNTAINS = (
    "Drinking fountains in the city centre",
    "Refilling a bottle should be free. A few drinking fountains along the main streets would cut plastic "
    "waste and help on hot days.",
)

# Per track: the idea the city took up, and the title of the roadmap action it became
# (one of the demo roadmap's actions of that track, icc/roadmaps/demo.py).
TAKEN_UP: dict[str, tuple[str, Idea]] = {
    "skills": (
        "Graduate placement programme",
        {
            "en": (
                "Placements for graduates in local firms",
                "Many young people leave after their studies. The city could broker paid placements for "
                "graduates with local firms, so that they find a first job here.",
            ),
            "de": (
                "Praktika für Hochschulabsolventen in der Stadt",
                "Viele junge Leute ziehen nach dem Studium weg. Die Stadt könnte mit lokalen Firmen bezahlte "
                "Praktika für Absolventinnen und Absolventen vermitteln, damit sie hier eine erste Stelle finden.",
            ),
        },
    ),
    "tourism": (
        "Off-season events calendar",
        {
            "en": (
                "A calendar of off-season events",
                "In summer everyone crowds into the same streets. Events in spring and autumn would bring "
                "visitors at other times and to other neighbourhoods.",
            ),
            "fr": (
                "Un calendrier d'événements hors saison",
                "En été, tout le monde se retrouve dans les mêmes rues. Des événements au printemps et en "
                "automne feraient venir les visiteurs à d'autres moments et dans d'autres quartiers.",
            ),
        },
    ),
    "supply-chains": (
        "Cargo bike delivery pilot",
        {
            "en": (
                "Cargo bike deliveries in the centre",
                "Delivery vans block the centre every morning. A pilot with cargo bikes for the last "
                "kilometres would make the streets calmer and cleaner.",
            ),
            "es": (
                "Repartos en bicicleta de carga en el centro",
                "Las furgonetas de reparto bloquean el centro cada mañana. Un piloto con bicicletas de carga "
                "para los últimos kilómetros haría las calles más tranquilas y limpias.",
            ),
            "pl": (
                "Dostawy rowerami towarowymi w centrum",
                "Furgonetki dostawcze co rano blokują centrum. Pilotaż dostaw rowerami towarowymi na ostatnich "
                "kilometrach uspokoiłby i oczyścił ulice.",
            ),
        },
    ),
    "citizen-participation": (
        "Neighbourhood idea workshops",
        {
            "en": (
                "Neighbourhood idea workshops",
                "Not everyone takes part online. Evening meetings in schools and libraries in each "
                "neighbourhood would let everyone propose ideas for the city.",
            ),
            "it": (
                "Laboratori di quartiere per le idee",
                "Non tutti partecipano online. Incontri serali nelle scuole e nelle biblioteche di ogni "
                "quartiere permetterebbero a tutti di proporre idee per la città.",
            ),
        },
    ),
    "green-economy": (
        "Install smart meters in schools",
        {
            "en": (
                "Smart meters in every school",
                "Schools do not know when they waste electricity. Smart meters would show the use hour by hour, "
                "so that heating and lights are switched off when classrooms are empty.",
            ),
        },
    ),
}
