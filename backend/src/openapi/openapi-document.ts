import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document of the api: served at /api/docs, and the source of the console's API types. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchboard API')
      .setDescription(
        'Calls, provider webhooks, billing, wallet and contacts of a multi-tenant voice console.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
}
