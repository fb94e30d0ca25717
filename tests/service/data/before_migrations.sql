-- A database made by the release before migrations (create_all), for the upgrade test.
BEGIN TRANSACTION;
CREATE TABLE access_log (
	id INTEGER NOT NULL, 
	at TEXT NOT NULL, 
	user_id INTEGER NOT NULL, 
	username TEXT NOT NULL, 
	kind TEXT NOT NULL, 
	ref TEXT NOT NULL, 
	path TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);
CREATE TABLE boundary_sets (
	vintage TEXT NOT NULL, 
	sources TEXT NOT NULL, 
	ward_count INTEGER NOT NULL, 
	imported_at TEXT NOT NULL, 
	PRIMARY KEY (vintage)
);
INSERT INTO "boundary_sets" VALUES('2025','/tmp/tmp31s464dk/wards.geojson',3,'2026-12-06T23:54:14+00:00');
CREATE TABLE categories (
	id INTEGER NOT NULL, 
	label TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (label)
);
INSERT INTO "categories" VALUES(1,'Anti-social behaviour');
INSERT INTO "categories" VALUES(2,'Bicycle theft');
INSERT INTO "categories" VALUES(3,'Burglary');
INSERT INTO "categories" VALUES(4,'Criminal damage and arson');
INSERT INTO "categories" VALUES(5,'Drugs');
INSERT INTO "categories" VALUES(6,'Other crime');
INSERT INTO "categories" VALUES(7,'Other theft');
INSERT INTO "categories" VALUES(8,'Possession of weapons');
INSERT INTO "categories" VALUES(9,'Public order');
INSERT INTO "categories" VALUES(10,'Robbery');
INSERT INTO "categories" VALUES(11,'Shoplifting');
INSERT INTO "categories" VALUES(12,'Theft from the person');
INSERT INTO "categories" VALUES(13,'Vehicle crime');
INSERT INTO "categories" VALUES(14,'Violence and sexual offences');
CREATE TABLE concern_updates (
	id INTEGER NOT NULL, 
	concern_id INTEGER NOT NULL, 
	status TEXT NOT NULL, 
	note TEXT NOT NULL, 
	"by" TEXT NOT NULL, 
	"on" DATE NOT NULL, 
	recorded_at TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(concern_id) REFERENCES concerns (id)
);
INSERT INTO "concern_updates" VALUES(1,1,'open','raised','PCSO Example','2025-01-15','2026-12-06T23:54:14+00:00');
INSERT INTO "concern_updates" VALUES(2,2,'open','raised','PCSO Example','2025-01-15','2026-12-06T23:54:14+00:00');
CREATE TABLE concerns (
	id INTEGER NOT NULL, 
	ward_code TEXT NOT NULL, 
	ward_vintage TEXT NOT NULL, 
	tag TEXT NOT NULL, 
	description TEXT NOT NULL, 
	raised_on DATE NOT NULL, 
	channel TEXT NOT NULL, 
	community TEXT, 
	location_text TEXT, 
	longitude FLOAT, 
	latitude FLOAT, 
	status TEXT NOT NULL, 
	recorded_by TEXT NOT NULL, 
	created_at TEXT NOT NULL, 
	import_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(import_id) REFERENCES imports (id)
);
INSERT INTO "concerns" VALUES(1,'E05000002','2025','asb','Groups gathering by the play area in the evenings.','2025-01-15','community-meeting','older residents','Mill Lane park',-1.21,54.61,'open','PCSO Example','2026-12-06T23:54:14+00:00',5);
INSERT INTO "concerns" VALUES(2,'E05000002','2025','speeding','Cars racing on the bypass.','2025-01-15','community-meeting','older residents','Mill Lane park',-1.21,54.61,'open','PCSO Example','2026-12-06T23:54:14+00:00',5);
CREATE TABLE forces (
	id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
INSERT INTO "forces" VALUES(1,'Test Police');
CREATE TABLE imports (
	id INTEGER NOT NULL, 
	kind TEXT NOT NULL, 
	source TEXT NOT NULL, 
	sha256 TEXT, 
	rows_read INTEGER NOT NULL, 
	rows_stored INTEGER NOT NULL, 
	rows_rejected INTEGER NOT NULL, 
	status TEXT NOT NULL, 
	message TEXT, 
	imported_at TEXT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "imports" VALUES(1,'wards','/tmp/tmp31s464dk/wards.geojson','7ad8a6595c877f6871c90d109710c5da64b217f2c5120d3b0f1ee654181fa999',3,3,0,'stored','vintage 2025','2026-12-06T23:54:14+00:00');
INSERT INTO "imports" VALUES(2,'crime','/tmp/tmp31s464dk/crime/2025-01/2025-01-test-street.csv','2480543f49a4830fe9bb296ce7c0b804cf5f637e4eeaf927742d13b2ca60c49d',5,5,0,'stored',NULL,'2026-12-06T23:54:14+00:00');
INSERT INTO "imports" VALUES(3,'crime','/tmp/tmp31s464dk/crime/2025-02/2025-02-test-street.csv','834156eb812605e937dce8266e65663fa867a68eeb7aa9f777d67870f216d450',2,2,0,'stored',NULL,'2026-12-06T23:54:14+00:00');
INSERT INTO "imports" VALUES(4,'threat','/work/h4/examples/threat-assessment-demo.yaml','b95ec6b33f986864b2de39f0d55348295dc8eb84ee8648a3b86f5e86e2d3850e',7,7,0,'stored','version 1: 7 themes (3 high, 3 medium, 1 low)','2026-12-06T23:54:14+00:00');
INSERT INTO "imports" VALUES(5,'concerns','/tmp/tmp31s464dk/c.csv','0f0560894ef1c76a3ac89a3d3da808c1d884ebfefc37aaaca4f21e1ecf983182',2,2,0,'stored','2 concerns added (boundary vintage 2025)','2026-12-06T23:54:14+00:00');
CREATE TABLE incidents (
	id INTEGER NOT NULL, 
	partition_id INTEGER NOT NULL, 
	line INTEGER NOT NULL, 
	crime_id TEXT, 
	reported_by_id INTEGER NOT NULL, 
	place_id INTEGER NOT NULL, 
	category_id INTEGER NOT NULL, 
	outcome_id INTEGER, 
	context TEXT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(partition_id) REFERENCES partitions (id) ON DELETE CASCADE, 
	FOREIGN KEY(reported_by_id) REFERENCES forces (id), 
	FOREIGN KEY(place_id) REFERENCES places (id), 
	FOREIGN KEY(category_id) REFERENCES categories (id), 
	FOREIGN KEY(outcome_id) REFERENCES outcomes (id)
);
INSERT INTO "incidents" VALUES(1,1,2,'00000000000000000000000000000000000000000000000068fa036fe678701d',1,1,3,1,NULL);
INSERT INTO "incidents" VALUES(2,1,3,NULL,1,1,1,NULL,NULL);
INSERT INTO "incidents" VALUES(3,1,4,'0000000000000000000000000000000000000000000000004531fa6f8e5b95ee',1,2,5,1,NULL);
INSERT INTO "incidents" VALUES(4,1,5,'000000000000000000000000000000000000000000000000646ea71aec0a9889',1,3,10,1,NULL);
INSERT INTO "incidents" VALUES(5,1,6,'0000000000000000000000000000000000000000000000000e305b68ae4c7cf5',1,4,11,1,NULL);
INSERT INTO "incidents" VALUES(6,2,2,'0000000000000000000000000000000000000000000000007f9e93db63571c82',1,1,13,1,NULL);
INSERT INTO "incidents" VALUES(7,2,3,'0000000000000000000000000000000000000000000000004027b607b7726aa8',1,5,9,1,NULL);
CREATE TABLE lsoa_wards (
	lsoa_code TEXT NOT NULL, 
	vintage TEXT NOT NULL, 
	ward_code TEXT, 
	PRIMARY KEY (lsoa_code, vintage), 
	FOREIGN KEY(lsoa_code) REFERENCES lsoas (code) ON DELETE CASCADE, 
	FOREIGN KEY(vintage) REFERENCES boundary_sets (vintage) ON DELETE CASCADE
);
CREATE TABLE lsoas (
	code TEXT NOT NULL, 
	name TEXT NOT NULL, 
	census_year INTEGER NOT NULL, 
	residents INTEGER NOT NULL, 
	longitude FLOAT, 
	latitude FLOAT, 
	source TEXT NOT NULL, 
	PRIMARY KEY (code)
);
CREATE TABLE outcomes (
	id INTEGER NOT NULL, 
	label TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (label)
);
INSERT INTO "outcomes" VALUES(1,'Under investigation');
CREATE TABLE partitions (
	id INTEGER NOT NULL, 
	force_id INTEGER NOT NULL, 
	month TEXT NOT NULL, 
	import_id INTEGER NOT NULL, 
	sha256 TEXT NOT NULL, 
	first_id INTEGER NOT NULL, 
	last_id INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (force_id, month), 
	FOREIGN KEY(force_id) REFERENCES forces (id), 
	FOREIGN KEY(import_id) REFERENCES imports (id)
);
INSERT INTO "partitions" VALUES(1,1,'2025-01',2,'2480543f49a4830fe9bb296ce7c0b804cf5f637e4eeaf927742d13b2ca60c49d',1,5);
INSERT INTO "partitions" VALUES(2,1,'2025-02',3,'834156eb812605e937dce8266e65663fa867a68eeb7aa9f777d67870f216d450',6,7);
CREATE TABLE place_wards (
	place_id INTEGER NOT NULL, 
	vintage TEXT NOT NULL, 
	ward_code TEXT, 
	PRIMARY KEY (place_id, vintage), 
	FOREIGN KEY(place_id) REFERENCES places (id) ON DELETE CASCADE, 
	FOREIGN KEY(vintage) REFERENCES boundary_sets (vintage) ON DELETE CASCADE
);
INSERT INTO "place_wards" VALUES(1,'2025','E05000002');
INSERT INTO "place_wards" VALUES(2,'2025','E05000001');
INSERT INTO "place_wards" VALUES(3,'2025',NULL);
INSERT INTO "place_wards" VALUES(5,'2025','E05000003');
CREATE TABLE places (
	id INTEGER NOT NULL, 
	longitude FLOAT, 
	latitude FLOAT, 
	location TEXT NOT NULL, 
	lsoa_code TEXT NOT NULL, 
	lsoa_name TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (longitude, latitude, location, lsoa_code, lsoa_name)
);
INSERT INTO "places" VALUES(1,-1.21,54.61,'On or near High Street','E01000001','Testborough 001A');
INSERT INTO "places" VALUES(2,-1.19,54.61,'On or near Mill Lane','E01000001','Testborough 001A');
INSERT INTO "places" VALUES(3,-1.3,54.7,'On or near Far Road','E01000001','Testborough 001A');
INSERT INTO "places" VALUES(4,NULL,NULL,'No location','','');
INSERT INTO "places" VALUES(5,-1.21,54.63,'On or near North Road','E01000001','Testborough 001A');
CREATE TABLE plan_history (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	at TEXT NOT NULL, 
	"by" TEXT NOT NULL, 
	change TEXT NOT NULL, 
	previous TEXT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(plan_id) REFERENCES plans (id)
);
CREATE TABLE plans (
	id INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	status TEXT NOT NULL, 
	ward_vintage TEXT NOT NULL, 
	data TEXT NOT NULL, 
	created_by TEXT NOT NULL, 
	created_at TEXT NOT NULL, 
	updated_at TEXT NOT NULL, 
	import_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(import_id) REFERENCES imports (id)
);
CREATE TABLE threat_assessments (
	id INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	force TEXT NOT NULL, 
	assessed_on TEXT NOT NULL, 
	source TEXT NOT NULL, 
	sha256 TEXT NOT NULL, 
	is_example BOOLEAN NOT NULL, 
	imported_at TEXT NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "threat_assessments" VALUES(1,'Demoshire Strategic Assessment 2026: EXAMPLE — not a real assessment','Demoshire Constabulary (synthetic demo data)','2026-03-31','/work/h4/examples/threat-assessment-demo.yaml','b95ec6b33f986864b2de39f0d55348295dc8eb84ee8648a3b86f5e86e2d3850e',1,'2026-12-06T23:54:14+00:00');
CREATE TABLE threat_themes (
	id INTEGER NOT NULL, 
	assessment_id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	description TEXT NOT NULL, 
	risk_score FLOAT NOT NULL, 
	confidence TEXT NOT NULL, 
	priority_band TEXT NOT NULL, 
	categories TEXT NOT NULL, 
	concern_tags TEXT NOT NULL, 
	owner TEXT NOT NULL, 
	review_date TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (assessment_id, name), 
	FOREIGN KEY(assessment_id) REFERENCES threat_assessments (id) ON DELETE CASCADE
);
INSERT INTO "threat_themes" VALUES(1,1,'Serious violence','Violence with injury and weapon-enabled violence in the night-time economy and around transport hubs, concentrated in the town centre; knife possession among under-25s is rising.',412.0,'high','high','Violence and sexual offences;Possession of weapons;Robbery','violence;knife-crime;robbery','Serious Violence Strategic Lead','2026-06-30');
INSERT INTO "threat_themes" VALUES(2,1,'Drug supply','County lines and local dealing networks supplying class A drugs, using cuckooed addresses and exploiting children and vulnerable adults as runners.',388.0,'medium','high','Drugs;Possession of weapons','drugs;exploitation;knife-crime','Drugs and County Lines Strategic Lead','2026-06-30');
INSERT INTO "threat_themes" VALUES(3,1,'Violence against women and girls','Domestic abuse, stalking, sexual offences and harassment in public spaces; heavily under-reported, so recorded volumes understate the threat.',376.0,'low','high','Violence and sexual offences;Public order','vawg;violence','VAWG Strategic Lead','2026-09-30');
INSERT INTO "threat_themes" VALUES(4,1,'Burglary','Residential burglary, with a rising trend in terraced housing on the edge of the town centre and repeat victimisation within 28 days.',240.0,'high','medium','Burglary','burglary','Acquisitive Crime Strategic Lead','2026-09-30');
INSERT INTO "threat_themes" VALUES(5,1,'Anti-social behaviour','Persistent youth-related and street-drinking ASB in parks and precincts, with off-road bikes and criminal damage as the most frequent community complaints.',212.0,'medium','medium','Anti-social behaviour;Criminal damage and arson;Public order','asb;street-drinking;off-road-bikes;criminal-damage;noise','Neighbourhood Policing Strategic Lead','2026-12-31');
INSERT INTO "threat_themes" VALUES(6,1,'Organised crime','Organised crime groups behind money laundering, modern slavery and organised acquisitive crime; police.uk has no category that captures this activity.',198.0,'low','medium','','exploitation','Serious and Organised Crime Strategic Lead','2026-12-31');
INSERT INTO "threat_themes" VALUES(7,1,'Vehicle crime','Theft from and of vehicles, mostly opportunist theft from unlocked cars in residential streets; falling for three years.',96.0,'high','low','Vehicle crime','vehicle-crime','Acquisitive Crime Strategic Lead','2026-12-31');
CREATE TABLE users (
	id INTEGER NOT NULL, 
	username TEXT NOT NULL, 
	display_name TEXT NOT NULL, 
	password_hash TEXT NOT NULL, 
	role TEXT NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (username)
);
INSERT INTO "users" VALUES(1,'ana','Ana Lyst','scrypt:32768:8:1$h8jnuT50AKIVjKHQ$4cf1568922108725b13e6485be65de71ba38743996c66cbe04931700cdf1c9ac40c602364284e83248a06d0fb292f550f99a8252a729af16bf604133340fb8fb','analyst',1,'2026-12-06T23:54:14+00:00');
CREATE TABLE ward_facts (
	vintage TEXT NOT NULL, 
	ward_code TEXT NOT NULL, 
	month TEXT NOT NULL, 
	force_id INTEGER NOT NULL, 
	place_id INTEGER NOT NULL, 
	category_id INTEGER NOT NULL, 
	outcome_id INTEGER NOT NULL, 
	n INTEGER NOT NULL, 
	PRIMARY KEY (vintage, ward_code, month, force_id, place_id, category_id, outcome_id)
)
 WITHOUT ROWID

;
INSERT INTO "ward_facts" VALUES('2025','E05000001','2025-01',1,2,5,1,1);
INSERT INTO "ward_facts" VALUES('2025','E05000002','2025-01',1,1,1,0,1);
INSERT INTO "ward_facts" VALUES('2025','E05000002','2025-01',1,1,3,1,1);
INSERT INTO "ward_facts" VALUES('2025','E05000002','2025-02',1,1,13,1,1);
INSERT INTO "ward_facts" VALUES('2025','E05000003','2025-02',1,5,9,1,1);
CREATE TABLE ward_month_counts (
	vintage TEXT NOT NULL, 
	ward_code TEXT NOT NULL, 
	month TEXT NOT NULL, 
	force_id INTEGER NOT NULL, 
	category_id INTEGER NOT NULL, 
	status TEXT NOT NULL, 
	n INTEGER NOT NULL, 
	PRIMARY KEY (vintage, ward_code, month, force_id, category_id, status)
)
 WITHOUT ROWID

;
INSERT INTO "ward_month_counts" VALUES('2025','','2025-01',1,10,'outside',1);
INSERT INTO "ward_month_counts" VALUES('2025','','2025-01',1,11,'no location',1);
INSERT INTO "ward_month_counts" VALUES('2025','E05000001','2025-01',1,5,'ward',1);
INSERT INTO "ward_month_counts" VALUES('2025','E05000002','2025-01',1,1,'ward',1);
INSERT INTO "ward_month_counts" VALUES('2025','E05000002','2025-01',1,3,'ward',1);
INSERT INTO "ward_month_counts" VALUES('2025','E05000002','2025-02',1,13,'ward',1);
INSERT INTO "ward_month_counts" VALUES('2025','E05000003','2025-02',1,9,'ward',1);
CREATE TABLE wards (
	vintage TEXT NOT NULL, 
	code TEXT NOT NULL, 
	name TEXT NOT NULL, 
	lad_code TEXT, 
	lad_name TEXT, 
	area_km2 FLOAT NOT NULL, 
	geometry BLOB NOT NULL, 
	PRIMARY KEY (vintage, code), 
	FOREIGN KEY(vintage) REFERENCES boundary_sets (vintage) ON DELETE CASCADE
);
INSERT INTO "wards" VALUES('2025','E05000001','East Ward','E06000099','Testborough',2.87507074336796364377e+00,X'01030000000100000005000000E17A14AE47E1F2BFCDCCCCCCCC4C4B40E17A14AE47E1F2BF8FC2F5285C4F4B40333333333333F3BF8FC2F5285C4F4B40333333333333F3BFCDCCCCCCCC4C4B40E17A14AE47E1F2BFCDCCCCCCCC4C4B40');
INSERT INTO "wards" VALUES('2025','E05000002','West Ward','E06000099','Testborough',2.87506132387513968495e+00,X'01030000000100000005000000333333333333F3BFCDCCCCCCCC4C4B40333333333333F3BF8FC2F5285C4F4B4085EB51B81E85F3BF8FC2F5285C4F4B4085EB51B81E85F3BFCDCCCCCCCC4C4B40333333333333F3BFCDCCCCCCCC4C4B40');
INSERT INTO "wards" VALUES('2025','E05000003','North Ward','E06000099','Testborough',5.74733124498433056714e+00,X'01030000000100000005000000E17A14AE47E1F2BF8FC2F5285C4F4B40E17A14AE47E1F2BF52B81E85EB514B4085EB51B81E85F3BF52B81E85EB514B4085EB51B81E85F3BF8FC2F5285C4F4B40E17A14AE47E1F2BF8FC2F5285C4F4B40');
CREATE INDEX ix_concern_updates_concern_id ON concern_updates (concern_id);
CREATE INDEX ix_plan_history_plan_id ON plan_history (plan_id);
CREATE VIEW incident_rows AS
SELECT
    i.id,
    i.crime_id AS "Crime ID",
    p.month AS "Month",
    rb.name AS "Reported by",
    f.name AS "Falls within",
    pl.longitude AS "Longitude",
    pl.latitude AS "Latitude",
    pl.location AS "Location",
    pl.lsoa_code AS "LSOA code",
    pl.lsoa_name AS "LSOA name",
    c.label AS "Crime type",
    o.label AS "Last outcome category",
    i.context AS "Context",
    pw.ward_code,
    pw.vintage AS ward_vintage,
    p.import_id,
    i.line
FROM incidents i
JOIN partitions p ON p.id = i.partition_id
JOIN forces f ON f.id = p.force_id
JOIN forces rb ON rb.id = i.reported_by_id
JOIN places pl ON pl.id = i.place_id
JOIN categories c ON c.id = i.category_id
LEFT JOIN outcomes o ON o.id = i.outcome_id
LEFT JOIN place_wards pw
    ON pw.place_id = i.place_id
    AND pw.vintage = (SELECT max(vintage) FROM boundary_sets);
COMMIT;
