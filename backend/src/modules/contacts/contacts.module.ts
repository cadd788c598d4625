import { Module } from '@nestjs/common';
import { ContactImportService } from './contact-import.service';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

@Module({
  controllers: [ContactsController],
  providers: [ContactsService, ContactImportService],
  exports: [ContactsService],
})
export class ContactsModule {}
