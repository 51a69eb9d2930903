-- Pageviews arrive as JSON; derive a stream of views of the home page with upper-cased user ids.
CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR KEY, pageid VARCHAR)
  WITH (kafka_topic='pageviews', value_format='JSON', partitions=1);

CREATE STREAM home_views AS
  SELECT userid, UCASE(userid) AS user_upper, viewtime
  FROM pageviews
  WHERE pageid = 'home';

INSERT INTO pageviews (viewtime, userid, pageid) VALUES (1000, 'alice', 'home');
INSERT INTO pageviews (viewtime, userid, pageid) VALUES (2000, 'bob', 'pricing');
INSERT INTO pageviews (viewtime, userid, pageid) VALUES (3000, 'carol', 'home');

-- Read the result with any Kafka client, e.g.: kcat -b localhost:9092 -C -t HOME_VIEWS -e
